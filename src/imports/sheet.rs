//! A spreadsheet as rows of text: CSV (the `csv` crate; comma, semicolon
//! or tab, whichever the header line uses, with or without a byte-order
//! mark) or XLSX (the first sheet, read with `calamine`). Columns are found
//! by their header in English, German or Danish.

use std::collections::HashMap;

use calamine::{Data, Reader};

/// What a file holds: its header and its rows, each with its row number as
/// the spreadsheet shows it (the header is row 1).
#[derive(Debug, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// The XLSX media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Why a file cannot be read at all (before any row).
#[derive(Debug)]
pub struct Unreadable(pub String);

impl Sheet {
    /// Reads `bytes` as XLSX when they are a zip file (or `xlsx` is said),
    /// else as CSV.
    pub fn read(bytes: &[u8], xlsx: bool) -> Result<Sheet, Unreadable> {
        if xlsx || bytes.starts_with(b"PK\x03\x04") {
            Self::xlsx(bytes)
        } else {
            Self::csv(bytes)
        }
    }

    fn csv(bytes: &[u8]) -> Result<Sheet, Unreadable> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        let delimiter = [b';', b'\t', b',']
            .into_iter()
            .max_by_key(|d| first.iter().filter(|b| *b == d).count())
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut sheet = Sheet::default();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Unreadable(e.to_string()))?;
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
            if i == 0 {
                sheet.headers = cells;
            } else if cells.iter().any(|c| !c.is_empty()) {
                sheet.rows.push((i + 1, cells));
            }
        }
        Ok(sheet)
    }

    fn xlsx(bytes: &[u8]) -> Result<Sheet, Unreadable> {
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
                .map_err(|e: calamine::XlsxError| Unreadable(e.to_string()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| Unreadable("the workbook has no sheet".into()))?
            .map_err(|e| Unreadable(e.to_string()))?;
        let mut sheet = Sheet::default();
        let start = range.start().map_or(0, |(r, _)| r as usize);
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            if i == 0 {
                sheet.headers = cells;
            } else if cells.iter().any(|c| !c.is_empty()) {
                sheet.rows.push((start + i + 1, cells));
            }
        }
        Ok(sheet)
    }

    /// Which cell of a row holds each column: the columns of `kind` found
    /// among the headers (by any of their names), and the headers that
    /// name no column.
    pub fn columns(&self, columns: &[Column]) -> (HashMap<&'static str, usize>, Vec<String>) {
        let mut found = HashMap::new();
        let mut unknown = Vec::new();
        for (i, h) in self.headers.iter().enumerate() {
            let h = normalise(h);
            if h.is_empty() {
                continue;
            }
            match columns
                .iter()
                .find(|c| c.names.iter().any(|n| normalise(n) == h))
            {
                Some(c) => {
                    found.entry(c.key).or_insert(i);
                }
                None => unknown.push(h),
            }
        }
        (found, unknown)
    }
}

/// A cell's text: dates as `YYYY-MM-DD`, whole numbers without `.0`.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        // Days since 1899-12-30, as Excel counts them.
        Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|start| start.checked_add_days(chrono::Days::new(d.as_f64().max(0.0) as u64)))
            .map(|day| day.to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}

/// A header as compared: lower case, spaces and dashes as underscores.
fn normalise(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// A column of an import: its key (the English header) and every name it
/// is known by (English first, then German, then Danish).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub names: &'static [&'static str],
    pub required: bool,
}

impl Column {
    /// Its header in `lang` (German or Danish; else English).
    pub fn header(&self, lang: &str) -> &'static str {
        let i = match lang {
            "de" => 1,
            "da" => 2,
            _ => 0,
        };
        self.names.get(i).copied().unwrap_or(self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column {
            key: "visited_on",
            names: &["visited_on", "Datum", "Dato"],
            required: true,
        },
        Column {
            key: "mother",
            names: &["mother", "Stadtteilmutter", "Bydelsmor"],
            required: true,
        },
    ];

    #[test]
    fn csv_with_semicolons_a_bom_and_danish_headers() {
        let s = Sheet::read(
            "\u{feff}Dato;Bydelsmor;Andet\n2024-03-05;Hodan;x\n;;\n".as_bytes(),
            false,
        )
        .expect("reads");
        assert_eq!(
            s.rows,
            vec![(2, vec!["2024-03-05".into(), "Hodan".into(), "x".into()])]
        );
        let (found, unknown) = s.columns(COLS);
        assert_eq!((found["visited_on"], found["mother"]), (0, 1));
        assert_eq!(unknown, ["andet"]);
    }

    #[test]
    fn xlsx_cells_read_as_text() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.write(0, 0, "Datum").expect("cell");
        ws.write(0, 1, "Stadtteilmutter").expect("cell");
        ws.write(1, 0, "2024-03-05").expect("cell");
        ws.write(1, 1, 7).expect("cell");
        let bytes = book.save_to_buffer().expect("xlsx");
        let s = Sheet::read(&bytes, false).expect("reads");
        assert_eq!(s.rows, vec![(2, vec!["2024-03-05".into(), "7".into()])]);
        assert_eq!(s.columns(COLS).0["mother"], 1);
    }
}
