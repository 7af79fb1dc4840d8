//! The TypeScript side of the IPC contract: ui/src/bindings.ts, made from the Rust types.
//!
//! Every command of commands/list.rs, with the types of its arguments and its answer, becomes
//! one entry of the `Commands` map, and every type they reach (through `#[derive(TS)]`, which
//! reads the same serde attributes the JSON is made with) one declaration. `ui/src/api.ts`
//! types each `invoke` with it, so the page cannot call a command that does not exist, send
//! arguments it does not take, or misread its answer.
//!
//! `cargo xtask bindings` writes the file; a test (tests/ipc/bindings.rs) fails while the
//! checked-in one differs from what this module makes. Only built with the `ts` feature.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::marker::PhantomData;

use ts_rs::{Config, TypeVisitor, TS};

/// Where the file lives, from the repository root.
pub const PATH: &str = "ui/src/bindings.ts";

/// One command of the contract: its name, its arguments and its answer.
pub struct Command {
    name: &'static str,
    args: Vec<Argument>,
    answer: Type,
}

impl Command {
    /// The command `name`, taking `args` and answering an `A`.
    pub fn new<A: TS + 'static>(name: &'static str, args: Vec<Argument>) -> Self {
        Command {
            name,
            args,
            answer: Type::of::<A>(),
        }
    }
}

/// One argument of a command, named as in Rust (`base_currency`).
pub struct Argument {
    name: &'static str,
    ty: Type,
}

impl Argument {
    /// The argument `name` of type `T`.
    pub fn of<T: TS + 'static>(name: &'static str) -> Self {
        Argument {
            name,
            ty: Type::of::<T>(),
        }
    }
}

/// A Rust type, seen from TypeScript.
struct Type {
    /// How TypeScript names it (`Array<Expense>`, `string | null`).
    name: fn(&Config) -> String,
    /// An `Option`: an argument the page may leave out.
    optional: bool,
    /// Collects the declarations it needs.
    declare: fn(&mut Declarations),
}

impl Type {
    fn of<T: TS + 'static>() -> Self {
        Type {
            name: T::name,
            optional: T::IS_OPTION,
            declare: |declarations| declarations.visit::<T>(),
        }
    }
}

/// `tauri::ipc::Channel<T>` as the page passes it: the `Channel` class of @tauri-apps/api,
/// which the page creates and listens to. (Tauri's own type cannot implement `TS` here.)
pub struct Channel<T>(PhantomData<T>);

impl<T: TS + 'static> TS for Channel<T> {
    type WithoutGenerics = Channel<ts_rs::Dummy>;
    type OptionInnerType = Self;

    fn name(cfg: &Config) -> String {
        format!("Channel<{}>", T::name(cfg))
    }

    fn inline(cfg: &Config) -> String {
        Self::name(cfg)
    }

    fn visit_dependencies(visitor: &mut impl TypeVisitor) {
        visitor.visit::<T>();
    }
}

/// The declarations of every named type reached so far, by name.
struct Declarations {
    cfg: Config,
    seen: HashSet<TypeId>,
    by_name: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        // Types with no file of their own (strings, arrays, options) have nothing to declare,
        // but what they hold may.
        if T::output_path().is_some() {
            let declaration = format!(
                "{}export {}",
                T::docs().unwrap_or_default(),
                T::decl(&self.cfg)
            );
            // Two Rust types may declare one TypeScript type (`Alert` is serialized as its
            // view); either declaration is the same.
            self.by_name
                .entry(T::ident(&self.cfg))
                .or_insert(declaration);
        }
        T::visit_dependencies(self);
        // `Vec<Total>` reaches `Total` as a generic argument, not as a dependency.
        T::visit_generics(self);
    }
}

/// The contents of ui/src/bindings.ts.
pub fn typescript() -> String {
    let mut declarations = Declarations {
        // `i64` and `u64` are counts and minor units far below 2^53: JSON numbers, which
        // JavaScript reads exactly (not `bigint`, which JSON.parse never yields).
        cfg: Config::new().with_large_int("number"),
        seen: HashSet::new(),
        by_name: BTreeMap::new(),
    };
    // What every failed command answers (as its JSON form), though no command names it.
    declarations.visit::<outlay_core::AppError>();
    let commands = crate::commands::contract();
    let mut map = String::new();
    for command in &commands {
        (command.answer.declare)(&mut declarations);
        let mut args = Vec::new();
        for arg in &command.args {
            (arg.ty.declare)(&mut declarations);
            let optional = if arg.ty.optional { "?" } else { "" };
            args.push(format!(
                "{}{optional}: {}",
                camel_case(arg.name),
                (arg.ty.name)(&declarations.cfg)
            ));
        }
        let args = if args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            format!("{{ {} }}", args.join("; "))
        };
        // `()` is JSON null.
        let answer = (command.answer.name)(&declarations.cfg);
        map.push_str(&format!(
            "  {}: {{ args: {args}; answer: {answer} }};\n",
            command.name
        ));
    }

    let mut out = String::from(
        "// Generated by `cargo xtask bindings` from the Rust types (src-tauri/src/bindings.rs);\n\
         // do not edit. A test fails while this file differs from what the Rust side makes.\n\n",
    );
    if map.contains("Channel<") {
        out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n\n");
    }
    for declaration in declarations.by_name.values() {
        // ts-rs leaves a space at the end of a line before each field's doc comment.
        for line in declaration.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(
        "/**\n * Every command, by the name the page invokes: the arguments it sends (by their\n \
         * camelCase names) and the answer it gets. Failures reject with an `AppError`.\n \
         */\nexport type Commands = {\n",
    );
    out.push_str(&map);
    out.push_str("};\n\n/** The name of a command. */\nexport type Command = keyof Commands;\n");
    out
}

/// Tauri's name for an argument in the page's call: `base_currency` is sent as `baseCurrency`.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
