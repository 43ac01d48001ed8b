//! Reports as tables (the yearly report, a funder report, a comparison)
//! and the Excel workbook they make (rust_xlsxwriter): one sheet per
//! table, counts and amounts stored as numbers, months as dates, shares as
//! percentages, so that a funder's spreadsheet can compute with them.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::compare::Comparison;
use super::grant::GrantReport;
use super::model::{PerCurrency, YearlyReport};
use crate::money;
use crate::visits::model::ListKind;
use crate::web::Page;
use crate::web::export::is_formula_like;

/// One cell of a sheet.
pub enum Cell {
    Text(String),
    Int(i64),
    /// An amount in minor units of a currency with this many decimals.
    Money(i64, u32),
    Share(f64),
    Month(NaiveDate),
    Empty,
}

/// A table: its sheet name, column headings and rows.
pub struct Sheet {
    pub name: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Excel refuses sheet names over 31 characters, with `[]:*?/\`, or twice
/// in one workbook.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut candidate = clean.trim().to_owned();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        candidate = format!("{} {n}", clean.trim());
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// The workbook's bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let quoted = Format::new().set_quote_prefix();
    let month = Format::new().set_num_format("mmm yyyy");
    let share = Format::new().set_num_format("0.0%");
    let money_formats: Vec<Format> = (0..=4)
        .map(|exp| {
            let decimals = "0".repeat(exp);
            let f = if exp == 0 {
                "#,##0".to_owned()
            } else {
                format!("#,##0.{decimals}")
            };
            Format::new().set_num_format(f)
        })
        .collect();
    let mut taken = Vec::new();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&sheet.name, &mut taken))?;
        for (c, h) in sheet.headings.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    // Formula-like text (a district named `=HYPERLINK(…)`)
                    // carries the quote prefix: shown and edited as text.
                    Cell::Text(s) if is_formula_like(s) => {
                        ws.write_string_with_format(r, c, s, &quoted)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Int(n) => {
                        ws.write_number(r, c, *n as f64)?;
                    }
                    Cell::Money(minor, exp) => {
                        let f = &money_formats[(*exp as usize).min(4)];
                        ws.write_number_with_format(
                            r,
                            c,
                            *minor as f64 / 10f64.powi(*exp as i32),
                            f,
                        )?;
                    }
                    Cell::Share(s) => {
                        ws.write_number_with_format(r, c, *s, &share)?;
                    }
                    Cell::Month(d) => {
                        ws.write_date_with_format(r, c, d, &month)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.autofit();
    }
    book.save_to_buffer()
}

/// The yearly report's tables, with headings in the user's language.
pub fn yearly_sheets(page: &Page, r: &YearlyReport) -> Vec<Sheet> {
    let t = |k: &str| page.t(k);
    let text = |s: String| Cell::Text(s);
    let currency = match &r.funding {
        PerCurrency::One(f) => Some(f.currency.clone()),
        PerCurrency::Several(_) => None,
    };
    let ratio = |v: Option<i64>| match (v, &currency) {
        (Some(m), Some(c)) => Cell::Money(m, money::exponent(c)),
        _ => Cell::Empty,
    };
    let summary = Sheet {
        name: t("report-summary"),
        headings: vec![t("report-figure"), t("report-value")],
        rows: vec![
            vec![text(t("field-year")), Cell::Int(r.year.into())],
            vec![
                text(t("report-mothers-trained")),
                Cell::Int(r.mothers_trained),
            ],
            vec![
                text(t("report-active-at-year-end")),
                Cell::Int(r.active_mothers_at_year_end),
            ],
            vec![text(t("report-visits")), Cell::Int(r.visits.total)],
            vec![
                text(t("report-families-reached")),
                Cell::Int(r.families.reached),
            ],
            vec![text(t("report-families-new")), Cell::Int(r.families.new)],
            vec![text(t("report-events")), Cell::Int(r.events.count)],
            vec![
                text(t("event-migrant")),
                Cell::Int(r.events.participants_migrant),
            ],
            vec![
                text(t("event-local")),
                Cell::Int(r.events.participants_local),
            ],
            vec![
                text(t("report-cost-per-visit")),
                ratio(r.cost_per_visit_minor),
            ],
            vec![
                text(t("report-cost-per-mother")),
                ratio(r.cost_per_mother_trained_minor),
            ],
            vec![
                text(t("report-own-capital-share")),
                r.own_capital_share.map_or(Cell::Empty, Cell::Share),
            ],
        ],
    };
    let trained = Sheet {
        name: t("report-mothers-trained"),
        headings: vec![t("field-year"), t("report-mothers-trained")],
        rows: r
            .mothers_trained_by_year
            .iter()
            .map(|y| vec![Cell::Int(y.year.into()), Cell::Int(y.count)])
            .collect(),
    };
    let months = Sheet {
        name: t("report-visits-by-month"),
        headings: vec![t("field-month"), t("report-visits")],
        rows: r
            .visits
            .by_month
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let d = NaiveDate::from_ymd_opt(r.year, i as u32 + 1, 1);
                vec![d.map_or(Cell::Empty, Cell::Month), Cell::Int(*n)]
            })
            .collect(),
    };
    let kinds = Sheet {
        name: t("report-visits-by-kind"),
        headings: vec![t("field-kind"), t("report-visits")],
        rows: r
            .visits
            .by_kind
            .iter()
            .map(|(k, n)| vec![text(page.label("visit-kind", k)), Cell::Int(*n)])
            .collect(),
    };
    let districts = Sheet {
        name: t("report-visits-by-district"),
        headings: vec![t("field-district"), t("report-visits")],
        rows: r
            .visits
            .by_district
            .iter()
            .map(|d| {
                let name = if d.name.is_empty() {
                    t("report-no-district")
                } else {
                    d.name.clone()
                };
                vec![text(name), Cell::Int(d.count)]
            })
            .collect(),
    };
    let topics = Sheet {
        name: t("report-topics"),
        headings: vec![t("field-visit-topic"), t("report-count"), t("report-share")],
        rows: r
            .topics
            .iter()
            .map(|x| {
                let label = super::html::topic_label(page, &x.key, &x.label);
                vec![
                    text(label),
                    Cell::Int(x.count),
                    x.share.map_or(Cell::Empty, Cell::Share),
                ]
            })
            .collect(),
    };
    let events = Sheet {
        name: t("report-events"),
        headings: vec![t("field-kind"), t("report-count")],
        rows: r
            .events
            .by_kind
            .iter()
            .map(|k| {
                vec![
                    text(super::html::list_label(
                        page,
                        ListKind::EventKind,
                        &k.kind,
                        &k.label,
                    )),
                    Cell::Int(k.count),
                ]
            })
            .collect(),
    };
    let referrals = Sheet {
        name: t("report-referrals"),
        headings: vec![t("report-service"), t("report-count"), t("report-done")],
        rows: r
            .referrals
            .iter()
            .map(|x| {
                vec![
                    text(super::html::list_label(
                        page,
                        ListKind::Service,
                        &x.service,
                        &x.label,
                    )),
                    Cell::Int(x.count),
                    Cell::Int(x.done),
                ]
            })
            .collect(),
    };
    let mut funding_rows = Vec::new();
    for f in r.funding.to_vec() {
        let exp = money::exponent(&f.currency);
        for x in &f.by_funder {
            funding_rows.push(vec![
                text(f.currency.clone()),
                text(x.name.clone()),
                text(page.label("funder-kind", x.kind)),
                Cell::Money(x.received_minor, exp),
            ]);
        }
    }
    let funding = Sheet {
        name: t("report-funding-by-funder"),
        headings: vec![
            t("field-currency"),
            t("field-funder"),
            t("field-funder-kind"),
            t("report-received"),
        ],
        rows: funding_rows,
    };
    let mut expense_rows = Vec::new();
    for e in r.expenses.to_vec() {
        let exp = money::exponent(&e.currency);
        for (k, v) in &e.by_category {
            expense_rows.push(vec![
                text(e.currency.clone()),
                text(page.label("category", k)),
                Cell::Money(*v, exp),
            ]);
        }
    }
    let expenses = Sheet {
        name: t("expenses-title"),
        headings: vec![t("field-currency"), t("field-category"), t("field-amount")],
        rows: expense_rows,
    };
    let mut all = vec![
        summary, trained, months, kinds, districts, topics, referrals, events, funding, expenses,
    ];
    all.extend(super::xlsx_impact::sheets(page, r));
    all
}

/// The funder report's tables.
pub fn grant_sheets(page: &Page, r: &GrantReport) -> Vec<Sheet> {
    let t = |k: &str| page.t(k);
    let exp = money::exponent(&r.grant.grant.currency);
    let text = |s: String| Cell::Text(s);
    let a = &r.activity;
    let mut summary = vec![
        vec![text(t("field-funder")), text(r.grant.funder_name.clone())],
        vec![
            text(t("field-reference")),
            text(r.grant.grant.reference.clone()),
        ],
        vec![
            text(t("field-districts")),
            text(if r.districts.is_empty() {
                t("grant-whole-programme")
            } else {
                r.districts.join("; ")
            }),
        ],
        vec![
            text(t("field-currency")),
            text(r.grant.grant.currency.clone()),
        ],
        vec![
            text(t("grant-amount")),
            Cell::Money(r.grant.grant.amount_minor, exp),
        ],
        vec![
            text(t("grant-spent")),
            Cell::Money(r.grant.spent_minor, exp),
        ],
        vec![
            text(t("grant-remaining")),
            Cell::Money(r.grant.remaining_minor, exp),
        ],
        vec![
            text(t("report-cost-per-visit")),
            r.cost_per_visit_minor
                .map_or(Cell::Empty, |c| Cell::Money(c, exp)),
        ],
        vec![text(t("report-visits")), Cell::Int(a.visits)],
        vec![
            text(t("report-families-reached")),
            Cell::Int(a.families_reached),
        ],
        vec![text(t("report-families-new")), Cell::Int(a.families_new)],
        vec![
            text(t("grant-report-mothers-visiting")),
            Cell::Int(a.mothers_visiting),
        ],
        vec![
            text(t("report-mothers-trained")),
            Cell::Int(a.mothers_trained),
        ],
        vec![text(t("report-referrals")), Cell::Int(a.referrals)],
        vec![
            text(t("report-referrals-done")),
            Cell::Int(a.referrals_done),
        ],
        vec![text(t("report-events")), Cell::Int(a.events.count)],
        vec![
            text(t("event-migrant")),
            Cell::Int(a.events.participants_migrant),
        ],
        vec![
            text(t("event-local")),
            Cell::Int(a.events.participants_local),
        ],
    ];
    // Which rule the figures follow, said in the file as on the page.
    let at = &r.attribution;
    if at.rule == "share" {
        summary.push(vec![text(t("export-rule")), text(t("grant-rule-share"))]);
        summary.push(vec![
            text(t("export-funding-in-period")),
            at.funding_in_period_minor
                .map_or(Cell::Empty, |f| Cell::Money(f, exp)),
        ]);
        summary.push(vec![
            text(t("export-grant-share")),
            at.share.map_or(Cell::Empty, Cell::Share),
        ]);
        for (k, v) in [
            ("grant-attributed-visits", at.visits),
            ("grant-attributed-families", at.families_reached),
            ("grant-attributed-mothers-trained", at.mothers_trained),
        ] {
            summary.push(vec![text(t(k)), v.map_or(Cell::Empty, Cell::Int)]);
        }
    } else {
        summary.push(vec![
            text(t("export-rule")),
            text(t("grant-rule-districts")),
        ]);
    }
    vec![
        Sheet {
            name: t("report-summary"),
            headings: vec![t("report-figure"), t("report-value")],
            rows: summary,
        },
        Sheet {
            name: t("report-visits-by-kind"),
            headings: vec![t("field-kind"), t("report-visits")],
            rows: a
                .visits_by_kind
                .iter()
                .map(|(k, n)| vec![text(page.label("visit-kind", k)), Cell::Int(*n)])
                .collect(),
        },
        Sheet {
            name: t("report-topics"),
            headings: vec![t("field-visit-topic"), t("report-count"), t("report-share")],
            rows: a
                .topics
                .iter()
                .map(|x| {
                    vec![
                        text(super::html::topic_label(page, &x.key, &x.label)),
                        Cell::Int(x.count),
                        x.share.map_or(Cell::Empty, Cell::Share),
                    ]
                })
                .collect(),
        },
        Sheet {
            name: t("export-spent-by-category"),
            headings: vec![t("field-category"), t("grant-spent")],
            rows: r
                .spent_by_category
                .iter()
                .filter(|(_, v)| **v != 0)
                .map(|(k, v)| vec![text(page.label("category", k)), Cell::Money(*v, exp)])
                .collect(),
        },
        Sheet {
            name: t("export-spent-by-month"),
            headings: vec![t("field-month"), t("grant-spent")],
            rows: r
                .grant
                .spent_by_month
                .iter()
                .map(|m| {
                    let month = NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d");
                    vec![
                        month.map_or_else(|_| text(m.month.clone()), Cell::Month),
                        Cell::Money(m.spent_minor, exp),
                    ]
                })
                .collect(),
        },
    ]
}

/// The comparison's table: a figure a row, a programme (or year) a column.
pub fn compare_sheets(page: &Page, c: &Comparison) -> Vec<Sheet> {
    let by_years = c.by == "years";
    let mut headings = vec![page.t("report-figure")];
    headings.extend(c.columns.iter().map(|col| {
        if by_years {
            col.year.to_string()
        } else {
            col.programme.clone()
        }
    }));
    let reports: Vec<&YearlyReport> = c.columns.iter().map(|c| &c.report).collect();
    let row = |key: &str, f: &dyn Fn(&YearlyReport) -> Cell| {
        let mut r = vec![Cell::Text(page.t(key))];
        r.extend(reports.iter().map(|x| f(x)));
        r
    };
    let one = |r: &YearlyReport| match &r.funding {
        PerCurrency::One(f) => Some(f.currency.clone()),
        PerCurrency::Several(_) => None,
    };
    let amount = |v: Option<i64>, r: &YearlyReport| match (v, one(r)) {
        (Some(m), Some(cur)) => Cell::Money(m, money::exponent(&cur)),
        _ => Cell::Empty,
    };
    let rows = vec![
        row("report-mothers-trained", &|r| Cell::Int(r.mothers_trained)),
        row("report-active-at-year-end", &|r| {
            Cell::Int(r.active_mothers_at_year_end)
        }),
        row("report-visits", &|r| Cell::Int(r.visits.total)),
        row("report-families-reached", &|r| {
            Cell::Int(r.families.reached)
        }),
        row("report-families-new", &|r| Cell::Int(r.families.new)),
        row("report-referrals", &|r| {
            Cell::Int(r.referrals.iter().map(|x| x.count).sum())
        }),
        row("report-referrals-done", &|r| {
            Cell::Int(r.referrals.iter().map(|x| x.done).sum())
        }),
        row("report-events", &|r| Cell::Int(r.events.count)),
        row("event-migrant", &|r| {
            Cell::Int(r.events.participants_migrant)
        }),
        row("event-local", &|r| Cell::Int(r.events.participants_local)),
        row("field-currency", &|r| {
            one(r).map_or(Cell::Empty, Cell::Text)
        }),
        row("report-received", &|r| match &r.funding {
            PerCurrency::One(f) => Cell::Money(f.received_minor, money::exponent(&f.currency)),
            PerCurrency::Several(_) => Cell::Empty,
        }),
        row("expenses-title", &|r| match &r.expenses {
            PerCurrency::One(e) => Cell::Money(e.total_minor, money::exponent(&e.currency)),
            PerCurrency::Several(_) => Cell::Empty,
        }),
        row("report-cost-per-visit", &|r| {
            amount(r.cost_per_visit_minor, r)
        }),
        row("report-cost-per-mother", &|r| {
            amount(r.cost_per_mother_trained_minor, r)
        }),
        row("report-own-capital-share", &|r| {
            r.own_capital_share.map_or(Cell::Empty, Cell::Share)
        }),
    ];
    vec![Sheet {
        name: page.t("compare-title"),
        headings,
        rows,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(
            sheet_name("Visits: by [month]?", &mut taken),
            "Visits by month"
        );
        assert_eq!(
            sheet_name("visits by month", &mut taken),
            "visits by month 2"
        );
        let long = sheet_name(&"x".repeat(40), &mut taken);
        assert!(long.chars().count() <= 31);
    }
}
