//! Domain values with `parse` constructors: once built, they are valid.

mod email;
mod money;
mod money_text;
mod names;
mod password;
mod period;
mod token;

pub use email::Email;
pub use money::{Currency, Money, Sign, MAX_MINOR_UNITS};
pub use names::{parse_description, CategoryName, PaymentMethod, Tag, MAX_DESCRIPTION_CHARS};
pub use password::{check_storable as check_password_storable, Password, MAX_PASSWORD_BYTES};
pub use period::{Period, PeriodKind};
pub use token::RememberToken;
