//! What each column of a bank's CSV holds, found from its header in the languages of the
//! banks whose exports we read (English, German, Dutch, Czech, French, Spanish) and checked
//! against the cells below it.

use serde::{Deserialize, Serialize};

/// What a column is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// The booking date.
    Date,
    /// One signed (or unsigned, with a direction) amount.
    Amount,
    /// Money out, unsigned, in a column of its own.
    Debit,
    /// Money in, unsigned, in a column of its own.
    Credit,
    /// `debit`/`credit`, `Soll`/`Haben`, `CR`: which way the amount went.
    Direction,
    /// The ISO code of the amount's currency.
    Currency,
    /// Who was paid (or paid).
    Payee,
    /// What for: the purpose, memo or bank's text.
    Purpose,
    /// Booked or pending.
    Status,
}

/// Header names per role, best first. Compared lower case, with spaces collapsed.
const NAMES: &[(Role, &[&str])] = &[
    (
        Role::Date,
        &[
            "date",
            "transaction date",
            "booking date",
            "posting date",
            "posted date",
            "trans. date",
            "date processed",
            "datetime",
            "buchungstag",
            "buchung",
            "buchungsdatum",
            "datum",
            "datum zaúčtování",
            "date opération",
            "date de l'opération",
            "fecha",
            "fecha operación",
            "data",
            "value date",
            "wertstellung",
            "valutadatum",
            "datum provedení",
        ],
    ),
    (
        Role::Amount,
        &[
            "amount",
            "amount (total)",
            "transaction amount",
            "betrag",
            "betrag (eur)",
            "umsatz",
            "gross",
            "brutto",
            "bedrag",
            "montant",
            "importe",
            "částka",
            "value",
        ],
    ),
    (
        Role::Debit,
        &[
            "debit",
            "debit amount",
            "debits",
            "withdrawal",
            "withdrawals",
            "withdrawal amount",
            "paid out",
            "money out",
            "soll",
            "ausgang",
            "débit",
        ],
    ),
    (
        Role::Credit,
        &[
            "credit",
            "credit amount",
            "credits",
            "deposit",
            "deposits",
            "deposit amount",
            "paid in",
            "money in",
            "haben",
            "eingang",
            "crédit",
        ],
    ),
    (
        Role::Currency,
        &[
            "currency", "währung", "waehrung", "ccy", "měna", "devise", "moneda",
        ],
    ),
    (
        Role::Payee,
        &[
            "name",
            "payee",
            "payee name",
            "merchant",
            "beguenstigter/zahlungspflichtiger",
            "begünstigter/zahlungspflichtiger",
            "auftraggeber/empfänger",
            "auftraggeber / empfänger",
            "empfänger",
            "název protiúčtu",
            "counterparty name",
            "tegenrekening naam",
            "naam / omschrijving",
        ],
    ),
    (
        Role::Purpose,
        &[
            "description",
            "transaction description",
            "verwendungszweck",
            "memo",
            "note",
            "narrative",
            "details",
            "item title",
            "artikelbezeichnung",
            "betreff",
            "zpráva pro příjemce",
            "omschrijving",
            "mededelingen",
            "libellé",
            "concepto",
            "buchungstext",
        ],
    ),
    (Role::Status, &["status", "info", "state"]),
];

/// A header cell as compared: trimmed, lower case, single spaces.
pub fn normalise(cell: &str) -> String {
    cell.trim()
        .trim_matches('"')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How well a header cell names `role`: its rank in the role's names (0 best), or names with
/// a suffix (`Betrag (EUR)`, `Částka CZK`) after all exact ones.
fn rank(role: Role, cell: &str) -> Option<usize> {
    let names = NAMES.iter().find(|(r, _)| *r == role)?.1;
    if let Some(i) = names.iter().position(|n| *n == cell) {
        return Some(i);
    }
    // "Amount (fee)" and "Total fees" are not the amount; "Balance" never is.
    let not_amounts = ["fee", "gebühr", "balance", "saldo", "date", "datum"];
    if role == Role::Amount && not_amounts.iter().any(|w| cell.contains(w)) {
        return None;
    }
    names
        .iter()
        .position(|n| {
            cell.strip_prefix(n)
                .is_some_and(|rest| rest.starts_with([' ', '(', '[']))
        })
        .map(|i| names.len() + i)
}

/// The best column for `role` among `header` (normalised), not one of `taken`.
pub fn find(role: Role, header: &[String], taken: &[usize]) -> Option<usize> {
    header
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken.contains(i))
        .filter_map(|(i, cell)| rank(role, cell).map(|r| (r, i)))
        .min()
        .map(|(_, i)| i)
}

/// Whether a row reads like a header: it names a date and an amount (or debit or credit).
pub fn is_header(header: &[String]) -> bool {
    find(Role::Date, header, &[]).is_some()
        && (find(Role::Amount, header, &[]).is_some()
            || find(Role::Debit, header, &[]).is_some()
            || find(Role::Credit, header, &[]).is_some())
}

/// A currency code given in a header, as in `Částka CZK` or `Betrag (EUR)`.
pub fn currency_in_header(cell: &str) -> Option<&str> {
    cell.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() == 3)
        .find(|w| crate::domain::Currency::parse(w).is_ok())
}

/// Cells that say a line is not booked yet.
pub fn is_pending(cell: &str) -> bool {
    matches!(
        normalise(cell).as_str(),
        "pending" | "ausstehend" | "umsatz vorgemerkt" | "vorgemerkt" | "in bearbeitung"
    )
}

/// Descriptions of balance lines (not transactions) at the top or bottom of a statement.
pub fn is_balance(description: &str) -> bool {
    let text = normalise(description);
    [
        "beginning balance",
        "opening balance",
        "ending balance",
        "closing balance",
        "balance brought forward",
        "balance carried forward",
        "anfangssaldo",
        "endsaldo",
        "saldo anterior",
        "kontostand",
    ]
    .iter()
    .any(|p| text.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| normalise(c)).collect()
    }

    #[test]
    fn roles_are_found_by_their_names() {
        let venmo = header(&["ID", "Datetime", "Note", "Amount (total)", "Amount (fee)"]);
        assert_eq!(find(Role::Date, &venmo, &[]), Some(1));
        assert_eq!(find(Role::Amount, &venmo, &[]), Some(3));
        let czech = header(&[
            "Položka",
            "Datum zaúčtování",
            "Částka CZK",
            "Datum provedení",
        ]);
        assert_eq!(find(Role::Date, &czech, &[]), Some(1));
        assert_eq!(find(Role::Amount, &czech, &[]), Some(2));
        assert_eq!(currency_in_header(&czech[2]), Some("czk"));
        let wise = header(&[
            "Date",
            "Date Time",
            "Amount",
            "Total fees",
            "Exchange To Amount",
        ]);
        assert_eq!(find(Role::Date, &wise, &[]), Some(0));
        assert_eq!(find(Role::Amount, &wise, &[]), Some(2));
        let ing = header(&[
            "Buchung",
            "Wertstellungsdatum",
            "Auftraggeber/Empfänger",
            "Buchungstext",
            "Verwendungszweck",
            "Betrag",
            "Währung",
        ]);
        assert_eq!(find(Role::Purpose, &ing, &[]), Some(4));
        assert_eq!(find(Role::Payee, &ing, &[]), Some(2));
        assert!(is_header(&ing));
        assert!(!is_header(&header(&[
            "Umsatzanzeige",
            "Datei erstellt am: 09.12.2025"
        ])));
    }

    #[test]
    fn pending_and_balance_lines_are_recognised() {
        assert!(is_pending(" Pending"));
        assert!(is_pending("Umsatz vorgemerkt"));
        assert!(!is_pending("Umsatz gebucht"));
        assert!(is_balance("Beginning balance as of 09/10/2025"));
        assert!(!is_balance("CITY WATER Bill Payment"));
    }
}
