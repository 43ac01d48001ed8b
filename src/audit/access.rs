//! The access log: who read a family's or a mother's personal details,
//! when, which record and which fields, through a page, the API or an
//! export. Reading is the hot path, so a read costs no round trip: the
//! handler hands the entry to a writer task ([`AccessLog::record`], a
//! channel send), which inserts what has arrived in one multi-row INSERT.
//! Reading the log ([`AccessLog::flush`]) and a graceful shutdown first
//! write what is pending. A crash loses at most the entries of the last
//! moment, never a change (those are in the audit log, in the change's
//! own transaction). The log holds ids and field names, no values.

use chrono::{DateTime, Utc};
use diesel_async::RunQueryDsl;
use tokio::sync::{mpsc, oneshot};

use crate::db::DbPool;
use crate::schema::access_log;

/// Whose details were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Family,
    Mother,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Family => "family",
            Subject::Mother => "mother",
        }
    }
}

/// Through what they were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Page,
    Api,
    Export,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Page => "page",
            Channel::Api => "api",
            Channel::Export => "export",
        }
    }
}

/// A family's personal fields, as the log names them.
pub const FAMILY_FIELDS: &[&str] = &["name", "address", "phone"];
/// One visit's notes and next steps (a visit's page).
pub const VISIT_NOTES: &[&str] = &["visit_notes"];
/// A family's personal fields with its visit notes (its page, its export).
pub const FAMILY_FIELDS_NOTES: &[&str] = &["name", "address", "phone", "visit_notes"];
/// A mother's personal fields.
pub const MOTHER_FIELDS: &[&str] = &["full_name", "phone", "email", "note"];
/// What a list shows of each person.
pub const FAMILY_LIST_FIELDS: &[&str] = &["name"];
pub const MOTHER_LIST_FIELDS: &[&str] = &["full_name", "phone"];

/// One read.
#[derive(Debug, Clone)]
pub struct Entry {
    pub occurred_at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub programme_id: i64,
    pub subject: Subject,
    pub subject_id: i64,
    pub fields: &'static [&'static str],
    pub channel: Channel,
}

enum Message {
    Entry(Entry),
    Flush(oneshot::Sender<()>),
}

/// The most entries one INSERT writes.
const BATCH: usize = 1000;

/// A handle on the writer task; cheap to clone.
#[derive(Debug, Clone)]
pub struct AccessLog {
    tx: Option<mpsc::UnboundedSender<Message>>,
}

impl AccessLog {
    /// Starts the writer on `pool`. Outside a Tokio runtime (a command
    /// that serves no pages) the log is off.
    pub fn start(pool: DbPool) -> Self {
        if tokio::runtime::Handle::try_current().is_err() {
            return Self { tx: None };
        }
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write(pool, rx));
        Self { tx: Some(tx) }
    }

    /// Logs a read (a channel send: no waiting, no round trip).
    pub fn record(&self, entry: Entry) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Message::Entry(entry));
        }
    }

    /// Logs reads of many records at once (a list).
    pub fn record_all(&self, entries: impl IntoIterator<Item = Entry>) {
        for e in entries {
            self.record(e);
        }
    }

    /// Waits until every entry sent before is written (before the log is
    /// read, and at shutdown).
    pub async fn flush(&self) {
        if let Some(tx) = &self.tx {
            let (done, wait) = oneshot::channel();
            if tx.send(Message::Flush(done)).is_ok() {
                let _ = wait.await;
            }
        }
    }
}

async fn write(pool: DbPool, mut rx: mpsc::UnboundedReceiver<Message>) {
    let mut batch = Vec::new();
    let mut waiting = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(m) = next.take() {
            match m {
                Message::Entry(e) => batch.push(e),
                Message::Flush(done) => waiting.push(done),
            }
            if batch.len() < BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            insert(&pool, &batch).await;
            batch.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

/// Inserts a batch, trying again for a while when the database is away
/// (a restart); gives up with a warning after that.
async fn insert(pool: &DbPool, batch: &[Entry]) {
    let rows: Vec<_> = batch
        .iter()
        .map(|e| {
            use diesel::ExpressionMethods;
            (
                access_log::occurred_at.eq(e.occurred_at),
                access_log::user_id.eq(e.user_id),
                access_log::programme_id.eq(e.programme_id),
                access_log::subject.eq(e.subject.as_str()),
                access_log::subject_id.eq(e.subject_id),
                access_log::fields.eq(e.fields.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>()),
                access_log::channel.eq(e.channel.as_str()),
            )
        })
        .collect();
    for attempt in 0..10 {
        let result = match pool.get().await {
            Ok(mut conn) => diesel::insert_into(access_log::table)
                .values(&rows)
                .execute(&mut conn)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(_) => return,
            Err(e) if attempt == 9 => {
                tracing::warn!(error = %e, count = batch.len(), "cannot write the access log");
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(500)).await,
        }
    }
}
