//! The one source of "now" and "today". The server reads the system clock;
//! a test sets the clock to a day of its choosing (and moves it), so that no
//! test depends on the day it runs.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Local, NaiveDate, Utc};

/// The system clock, or a set one (shared by every clone).
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<Mutex<DateTime<Utc>>>>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stands at `at` until it is set again.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Some(Arc::new(Mutex::new(at))))
    }

    /// A clock standing at noon (UTC) of `day`.
    pub fn on(day: NaiveDate) -> Self {
        Self::fixed(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
    }

    /// Moves a set clock to `at` (the system clock cannot be moved).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(t) = &self.0
            && let Ok(mut t) = t.lock()
        {
            *t = at;
        }
    }

    /// This instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            None => Utc::now(),
            Some(t) => t.lock().map(|t| *t).unwrap_or_else(|e| *e.into_inner()),
        }
    }

    /// Today, in the server's time zone (the day a coordinator means).
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Local).date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_stands_still_until_moved() {
        let day = NaiveDate::from_ymd_opt(2012, 5, 31).expect("date");
        let clock = Clock::on(day);
        let other = clock.clone();
        assert_eq!(clock.now(), other.now());
        assert_eq!(clock.now().date_naive(), day);
        let later = clock.now() + chrono::Duration::days(1);
        other.set(later);
        assert_eq!(clock.now(), later, "clones share the clock");
        assert!(Clock::system().now() > clock.now());
    }
}
