//! Money figures per currency: never added up across currencies.

use serde::Serialize;

/// Money figures per currency. In JSON always a list (one entry per
/// currency, one for a programme that keeps one); in the pages one
/// currency is shown as a single figure.
#[derive(Debug, Clone)]
pub enum PerCurrency<T> {
    One(T),
    Several(Vec<T>),
}

impl<T: Serialize> Serialize for PerCurrency<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PerCurrency::One(x) => [x].serialize(s),
            PerCurrency::Several(xs) => xs.serialize(s),
        }
    }
}

impl<T: Clone> PerCurrency<T> {
    /// Every currency's figures, as a list.
    pub fn to_vec(&self) -> Vec<T> {
        match self {
            PerCurrency::One(x) => vec![x.clone()],
            PerCurrency::Several(xs) => xs.clone(),
        }
    }
}
