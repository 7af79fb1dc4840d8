//! Whether the packages declare every shared library the binary needs.
//!
//! On a build machine every library is already there (the -dev packages brought them), so
//! "apt installed it and it started" alone would not notice a missing dependency. Instead:
//! - each library in the binary's NEEDED list is traced to the Debian package that owns it,
//!   which must be one apt installs for the .deb (a declared dependency or one of theirs);
//! - the newest glibc symbol version the binary uses must not be newer than the `libc6 (>= …)`
//!   the .deb declares, or it would install on systems where it cannot start;
//! - libraries loaded at run time (the tray's appindicator) are found by name in the binary;
//! - the .rpm must require each NEEDED library by soname, glibc by symbol version.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use super::output;

/// Libraries that are dlopen()ed rather than linked, with the Debian packages that ship them
/// (either will do). Tauri's tray loads one of these when the `tray-icon` feature is on.
const LOADED_AT_RUN_TIME: &[(&str, &[&str])] = &[(
    "appindicator3.so.1",
    &["libayatana-appindicator3-1", "libappindicator3-1"],
)];

/// What the binary needs from the system.
pub struct Needs {
    /// NEEDED sonames and where the loader finds each.
    linked: BTreeMap<String, String>,
    /// The newest GLIBC_x.y symbol version it uses.
    glibc: Version,
    /// Entries of LOADED_AT_RUN_TIME whose names appear in the binary.
    loaded: Vec<(&'static str, &'static [&'static str])>,
}

impl Needs {
    pub fn of(binary: &Path) -> Result<Needs, String> {
        let linked = linked_libraries(binary)?;
        let symbols = output(Command::new("objdump").arg("-T").arg(binary))?;
        let glibc = symbols
            .split_whitespace()
            .filter_map(|word| {
                word.trim_matches(|c| c == '(' || c == ')')
                    .strip_prefix("GLIBC_")
            })
            .filter_map(Version::parse)
            .max()
            .ok_or("the binary uses no versioned glibc symbols: is it really dynamic?")?;
        let bytes = std::fs::read(binary).map_err(|e| format!("{}: {e}", binary.display()))?;
        let loaded = LOADED_AT_RUN_TIME
            .iter()
            .filter(|(name, _)| contains(&bytes, name.as_bytes()))
            .copied()
            .collect();
        Ok(Needs {
            linked,
            glibc,
            loaded,
        })
    }
}

/// Checks the Depends of `deb`, which is installed, against what `needs` lists.
pub fn check_deb(needs: &Needs, deb: &Path) -> Result<(), String> {
    let declared = output(Command::new("dpkg-deb").arg("-f").arg(deb).arg("Depends"))?;
    println!("deb Depends: {}", declared.trim());
    let pulled_in = closure(&parse_depends(&declared))?;
    let mut missing = Vec::new();
    let mut packages = BTreeSet::new();
    for (library, path) in &needs.linked {
        let package = package_owning(path)?;
        if !pulled_in.contains(&package) {
            missing.push(format!("{library} (from {package})"));
        }
        packages.insert(package);
    }
    for (library, choices) in &needs.loaded {
        if !choices.iter().any(|p| pulled_in.contains(*p)) {
            missing.push(format!(
                "{library}, loaded at run time (from {})",
                choices.join(" or ")
            ));
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "the binary needs libraries that the .deb's Depends does not pull in: {}. Add \
             their packages to bundle.linux.deb.depends in tauri.conf.json",
            missing.join(", ")
        ));
    }
    match minimum_version(&declared, "libc6") {
        Some(declared) if declared >= needs.glibc => {}
        other => {
            return Err(format!(
                "the binary uses glibc {} symbols but the .deb declares libc6 {}: declare \
                 `libc6 (>= {})` in bundle.linux.deb.depends",
                needs.glibc,
                other.map_or("without a minimum".into(), |v| format!("(>= {v})")),
                needs.glibc
            ))
        }
    }
    println!(
        "deb: all {} linked libraries come from packages it pulls in ({}); glibc >= {}.",
        needs.linked.len(),
        packages.into_iter().collect::<Vec<_>>().join(" "),
        needs.glibc
    );
    Ok(())
}

/// Checks the Requires of `rpm` against what `needs` lists.
pub fn check_rpm(needs: &Needs, rpm: &Path) -> Result<(), String> {
    let requires = output(Command::new("rpm").args(["-qp", "--requires"]).arg(rpm))?;
    let requires: Vec<&str> = requires.lines().map(str::trim).collect();
    println!("rpm Requires: {}", requires.join(", "));
    let missing: Vec<&String> = needs
        .linked
        .keys()
        .filter(|soname| {
            !requires
                .iter()
                .any(|r| r.starts_with(&format!("{soname}(")))
        })
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the .rpm does not require {}: add `<soname>()(64bit)` entries to \
             bundle.linux.rpm.depends in tauri.conf.json",
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let glibc = requires
        .iter()
        .filter_map(|r| r.strip_prefix("libc.so.6(GLIBC_"))
        .filter_map(|r| Version::parse(r.split(')').next()?))
        .max();
    if glibc.as_ref().is_none_or(|v| *v < needs.glibc) {
        return Err(format!(
            "the binary uses glibc {} symbols: require `libc.so.6(GLIBC_{})(64bit)` in \
             bundle.linux.rpm.depends",
            needs.glibc, needs.glibc
        ));
    }
    println!(
        "rpm: requires all {} linked libraries by soname; glibc >= {}.",
        needs.linked.len(),
        needs.glibc
    );
    Ok(())
}

/// The binary's direct NEEDED libraries and where the loader finds each; a library it
/// cannot find is an error in itself.
fn linked_libraries(binary: &Path) -> Result<BTreeMap<String, String>, String> {
    let headers = output(Command::new("objdump").arg("-p").arg(binary))?;
    let needed: Vec<&str> = headers
        .lines()
        .filter_map(|line| line.trim().strip_prefix("NEEDED"))
        .map(str::trim)
        .collect();
    if needed.is_empty() {
        return Err(format!(
            "objdump lists no NEEDED libraries in {}",
            binary.display()
        ));
    }
    let resolved = output(Command::new("ldd").arg(binary))?;
    let mut found = BTreeMap::new();
    let mut unresolved = Vec::new();
    for line in resolved.lines() {
        // "\tlibgtk-3.so.0 => /lib/x86_64-linux-gnu/libgtk-3.so.0 (0x…)" or "=> not found"
        let Some((name, target)) = line.trim().split_once(" => ") else {
            continue;
        };
        if !needed.contains(&name) {
            continue;
        }
        match target.split_whitespace().next() {
            Some(path) if path.starts_with('/') => {
                found.insert(name.to_string(), path.to_string());
            }
            _ => unresolved.push(name),
        }
    }
    if !unresolved.is_empty() {
        return Err(format!("the binary cannot find {}", unresolved.join(", ")));
    }
    if let Some(name) = needed.iter().find(|name| !found.contains_key(**name)) {
        return Err(format!("ldd does not show where {name} comes from"));
    }
    Ok(found)
}

/// The Debian package that owns a library file.
fn package_owning(path: &str) -> Result<String, String> {
    // With merged /usr the loader may report /lib/… while dpkg recorded /usr/lib/… (or the
    // other way round), so both spellings are asked.
    let other = match path.strip_prefix("/usr") {
        Some(rest) => rest.to_string(),
        None => format!("/usr{path}"),
    };
    for candidate in [path, other.as_str()] {
        let Ok(text) = output(Command::new("dpkg").args(["-S", candidate])) else {
            continue;
        };
        // "libgtk-3-0:amd64: /usr/lib/x86_64-linux-gnu/libgtk-3.so.0"; diversions add lines
        // starting "diversion by", which name no owner.
        let owner = text
            .lines()
            .find(|line| !line.starts_with("diversion"))
            .and_then(|line| line.split_once(": "));
        if let Some((package, _)) = owner {
            return Ok(strip_arch(package).to_string());
        }
    }
    Err(format!("no installed package owns {path}"))
}

/// `Depends` as groups of alternatives ("a (>= 1) | b, c" → [[a, b], [c]]).
fn parse_depends(field: &str) -> Vec<Vec<String>> {
    field
        .split(',')
        .map(|group| {
            group
                .split('|')
                .filter_map(|alternative| alternative.split_whitespace().next())
                .map(|name| strip_arch(name).to_string())
                .collect::<Vec<_>>()
        })
        .filter(|group| !group.is_empty())
        .collect()
}

/// The `(>= x.y)` that `field` declares for `package`, if any.
fn minimum_version(field: &str, package: &str) -> Option<Version> {
    field.split(',').find_map(|entry| {
        let (name, constraint) = entry.trim().split_once(' ')?;
        if name != package {
            return None;
        }
        let version = constraint.trim().strip_prefix("(>=")?.strip_suffix(')')?;
        Version::parse(version.trim())
    })
}

/// Every installed package that the declared groups pull in, following each installed
/// package's own Depends and Pre-Depends, and virtual names to the packages providing them.
fn closure(declared: &[Vec<String>]) -> Result<BTreeSet<String>, String> {
    let listing = output(Command::new("dpkg-query").args([
        "-W",
        "-f=${db:Status-Abbrev}\t${Package}\t${Depends}, ${Pre-Depends}\t${Provides}\n",
    ]))?;
    Ok(closure_in(&listing, declared))
}

/// `closure` over a `dpkg-query` listing: status, package, dependencies, provides; tab
/// separated, one installed or uninstalled package a line.
fn closure_in(listing: &str, declared: &[Vec<String>]) -> BTreeSet<String> {
    let mut depends: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    let mut providers: HashMap<String, Vec<String>> = HashMap::new();
    for line in listing.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [status, package, package_depends, provides] = fields[..] else {
            continue;
        };
        // "ii " is installed; removed-but-configured packages install no files.
        if !status.starts_with("ii") {
            continue;
        }
        depends.insert(package.to_string(), parse_depends(package_depends));
        for group in parse_depends(provides) {
            for virtual_name in group {
                providers
                    .entry(virtual_name)
                    .or_default()
                    .push(package.to_string());
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut queue: Vec<Vec<String>> = declared.to_vec();
    while let Some(group) = queue.pop() {
        for name in group {
            let real = std::iter::once(name.clone())
                .filter(|n| depends.contains_key(n))
                .chain(providers.get(&name).cloned().unwrap_or_default());
            for package in real {
                if seen.insert(package.clone()) {
                    queue.extend(depends[&package].iter().cloned());
                }
            }
        }
    }
    seen
}

fn strip_arch(package: &str) -> &str {
    package.split(':').next().unwrap_or(package)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// A dotted version such as glibc's "2.34", compared number by number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Version(Vec<u32>);

impl Version {
    fn parse(text: &str) -> Option<Version> {
        let parts: Option<Vec<u32>> = text.split('.').map(|p| p.parse().ok()).collect();
        parts.filter(|p| !p.is_empty()).map(Version)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depends_are_groups_of_alternatives_without_versions_or_arch() {
        let groups = parse_depends("libc6 (>= 2.34), libgtk-3-0 | libgtk-3-0t64:amd64, , zlib1g");
        assert_eq!(
            groups,
            vec![
                vec!["libc6".to_string()],
                vec!["libgtk-3-0".to_string(), "libgtk-3-0t64".to_string()],
                vec!["zlib1g".to_string()],
            ]
        );
    }

    /// A made-up system: the app declares `webkit`; `webkit` needs `soup` and the virtual
    /// `libglib` (which `libglib-t64` provides); `ssl` is installed but nothing pulls it in,
    /// and `old` was removed.
    const LISTING: &str = "\
ii \twebkit\tsoup (>= 3), libglib | glib-legacy, \t
ii \tsoup\tlibc6, \t
ii \tlibglib-t64\tlibc6, \tlibglib (= 2.80)
ii \tlibc6\t, \t
ii \tssl\tlibc6, \t
rc \told\t, \t
";

    #[test]
    fn the_closure_follows_dependencies_and_virtual_packages() {
        let pulled_in = closure_in(LISTING, &parse_depends("webkit, old"));
        let names: Vec<&str> = pulled_in.iter().map(String::as_str).collect();
        assert_eq!(names, ["libc6", "libglib-t64", "soup", "webkit"]);
    }

    #[test]
    fn a_package_nothing_declared_pulls_in_is_not_in_the_closure() {
        let pulled_in = closure_in(LISTING, &parse_depends("soup"));
        assert!(!pulled_in.contains("ssl"));
        assert!(!pulled_in.contains("webkit"));
    }

    #[test]
    fn finds_the_declared_minimum_version() {
        let field = "libgcc-s1, libc6 (>= 2.34), libgtk-3-0";
        assert_eq!(minimum_version(field, "libc6"), Version::parse("2.34"));
        assert_eq!(minimum_version("libc6, libgtk-3-0", "libc6"), None);
        assert_eq!(minimum_version(field, "libgtk-3-0"), None);
    }

    #[test]
    fn versions_compare_as_numbers_not_text() {
        assert!(Version::parse("2.34").unwrap() > Version::parse("2.4").unwrap());
        assert!(Version::parse("2.34").unwrap() < Version::parse("2.34.1").unwrap());
        assert_eq!(Version::parse("2.x"), None);
    }
}
