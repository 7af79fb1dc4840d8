//! The one line about this month that the tray menu shows:
//! "November: 1,234.00 USD of 2,000.00 USD", or "November: 1,234.00 USD spent" without an
//! overall monthly budget.

use crate::assistant::format::money;
use crate::auth::Session;
use crate::budgets::Budget;
use crate::domain::{Money, Period, PeriodKind};
use crate::error::Result;
use crate::Outlay;

impl Outlay {
    /// This month's spend in the base currency, against the overall monthly budget if any.
    pub async fn month_line(&self, session: &Session) -> Result<String> {
        let month = Period::containing(PeriodKind::Monthly, self.clock.today());
        let currency = session.base_currency;
        let minor = session
            .store()
            .spend()
            .total(currency, month.start, month.end, None)
            .await?;
        let spent = money(Money { minor, currency });
        let name = month.start.format("%B");
        let overall = self.budgets(session).await?.into_iter().find(|b: &Budget| {
            b.category_id.is_none()
                && b.period == PeriodKind::Monthly
                && b.amount.currency == currency
        });
        Ok(match overall {
            Some(budget) => format!("{name}: {spent} of {}", money(budget.amount)),
            None => format!("{name}: {spent} spent"),
        })
    }
}
