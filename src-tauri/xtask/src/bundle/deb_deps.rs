//! Whether the .deb's `Depends` pulls in every shared library the installed binary links.
//!
//! On a build machine every library is already there (the -dev packages brought them), so
//! "apt installed it and it started" alone would not notice a missing dependency. Instead:
//! each library in the binary's NEEDED list is traced to the package that owns it, and that
//! package must be one apt installs for the .deb: a declared dependency or one of theirs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use super::output;

/// Checks `binary` (installed from `deb`) against the .deb's declared dependencies.
pub fn check(binary: &Path, deb: &Path) -> Result<(), String> {
    let declared = output(Command::new("dpkg-deb").arg("-f").arg(deb).arg("Depends"))?;
    println!("Depends: {}", declared.trim());
    let libraries = linked_libraries(binary)?;
    let owners = owning_packages(&libraries)?;
    let pulled_in = closure(&parse_depends(&declared))?;
    let mut missing = Vec::new();
    for (library, package) in &owners {
        if !pulled_in.contains(package) {
            missing.push(format!("{library} (from {package})"));
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "{} links libraries that the .deb's Depends does not pull in: {}. Add their \
             packages to bundle.linux.deb.depends in tauri.conf.json",
            binary.display(),
            missing.join(", ")
        ));
    }
    let packages: BTreeSet<&String> = owners.values().collect();
    println!(
        "All {} linked libraries come from packages the Depends pulls in: {}",
        owners.len(),
        packages.into_iter().cloned().collect::<Vec<_>>().join(" ")
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
        return Err(format!(
            "the installed binary cannot find {}",
            unresolved.join(", ")
        ));
    }
    if let Some(name) = needed.iter().find(|name| !found.contains_key(**name)) {
        return Err(format!("ldd does not show where {name} comes from"));
    }
    Ok(found)
}

/// The Debian package that owns each library file.
fn owning_packages(
    libraries: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, String> {
    let mut owners = BTreeMap::new();
    for (name, path) in libraries {
        // With merged /usr the loader may report /lib/… while dpkg recorded /usr/lib/… (or
        // the other way round), so both spellings are asked.
        let other = match path.strip_prefix("/usr") {
            Some(rest) => rest.to_string(),
            None => format!("/usr{path}"),
        };
        let owner = [path.as_str(), other.as_str()]
            .into_iter()
            .find_map(package_owning)
            .ok_or(format!("no installed package owns {path} ({name})"))?;
        owners.insert(name.clone(), owner);
    }
    Ok(owners)
}

fn package_owning(path: &str) -> Option<String> {
    let text = output(Command::new("dpkg").args(["-S", path])).ok()?;
    // "libgtk-3-0:amd64: /usr/lib/x86_64-linux-gnu/libgtk-3.so.0"; diversions add lines
    // starting "diversion by", which name no owner.
    let line = text.lines().find(|line| !line.starts_with("diversion"))?;
    let (package, _) = line.split_once(": ")?;
    Some(strip_arch(package).to_string())
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

/// Every installed package that the declared groups pull in, following each installed
/// package's own Depends and Pre-Depends, and virtual names to the packages providing them.
fn closure(declared: &[Vec<String>]) -> Result<BTreeSet<String>, String> {
    let listing = output(Command::new("dpkg-query").args([
        "-W",
        "-f=${db:Status-Abbrev}\t${Package}\t${Depends}, ${Pre-Depends}\t${Provides}\n",
    ]))?;
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
    Ok(seen)
}

fn strip_arch(package: &str) -> &str {
    package.split(':').next().unwrap_or(package)
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
}
