//! Cell text both ways: category paths with escaped separators, and the formula guard.

/// Characters that make a spreadsheet treat a cell as a formula.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Text as a spreadsheet shows it literally: a leading `'` before a formula character.
pub fn guard_formula(text: &str) -> std::borrow::Cow<'_, str> {
    match text.starts_with(FORMULA_STARTS) {
        true => format!("'{text}").into(),
        false => text.into(),
    }
}

/// Undoes [`guard_formula`]: `'=x` is `=x`; any other text is left alone.
pub fn unguard_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// A category path from names: `Parent/Child` with `/` and `\` in names escaped.
pub fn join_path(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| n.replace('\\', "\\\\").replace('/', "\\/"))
        .collect::<Vec<_>>()
        .join("/")
}

/// The names of a path, unescaped. `None` for a dangling `\` at the end.
pub fn split_path(path: &str) -> Option<Vec<String>> {
    let mut names = vec![String::new()];
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => names.last_mut()?.push(chars.next()?),
            '/' => names.push(String::new()),
            c => names.last_mut()?.push(c),
        }
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_with_separators_in_names() {
        let path = join_path(&["Home/Garden", "Tools\\Parts"]);
        assert_eq!(path, "Home\\/Garden/Tools\\\\Parts");
        assert_eq!(split_path(&path).unwrap(), ["Home/Garden", "Tools\\Parts"]);
        assert_eq!(split_path("Food/Groceries").unwrap(), ["Food", "Groceries"]);
        assert_eq!(split_path("dangling\\"), None);
    }

    #[test]
    fn formulas_are_guarded_and_unguarded() {
        assert_eq!(guard_formula("=1+2"), "'=1+2");
        assert_eq!(guard_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard_formula("plain"), "plain");
        assert_eq!(unguard_formula("'=1+2"), "=1+2");
        assert_eq!(unguard_formula("'quoted"), "'quoted");
        assert_eq!(unguard_formula(&guard_formula("-5 refund")), "-5 refund");
    }
}
