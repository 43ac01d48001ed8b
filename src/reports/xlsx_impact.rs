//! The tables of the yearly report's impact figures, for the CSV and XLSX
//! files: the participant register (distinct people, their mix, countries,
//! age bands, partnerships) and the outcomes of each questionnaire per
//! question and goal. Each only when the report has it.

use super::model::YearlyReport;
use super::xlsx::{Cell, Sheet};
use crate::outcomes::model::text_in;
use crate::web::Page;

/// The register's and the outcomes' sheets (none, one or two).
pub fn sheets(page: &Page, r: &YearlyReport) -> Vec<Sheet> {
    let t = |k: &str| page.t(k);
    let mut out = Vec::new();
    if let Some(reg) = &r.events.register {
        let mut rows = vec![
            vec![
                Cell::Text(t("report-register-people")),
                Cell::Int(reg.people),
            ],
            vec![
                Cell::Text(t("participant-origin-local")),
                Cell::Int(reg.local),
            ],
            vec![
                Cell::Text(t("participant-origin-migrant")),
                Cell::Int(reg.migrant),
            ],
            vec![
                Cell::Text(t("report-register-countries")),
                Cell::Int(reg.countries),
            ],
            vec![
                Cell::Text(t("report-register-partnerships")),
                Cell::Int(reg.partnerships),
            ],
        ];
        for c in &reg.by_country {
            rows.push(vec![
                Cell::Text(format!(
                    "{}: {}",
                    t("field-country-of-origin"),
                    page.code_name("country", &c.country)
                )),
                Cell::Int(c.count),
            ]);
        }
        for a in &reg.by_age_band {
            let band = match &a.age_band {
                Some(b) => page.label("age-band", b),
                None => t("report-not-recorded"),
            };
            rows.push(vec![
                Cell::Text(format!("{}: {band}", t("field-age-band"))),
                Cell::Int(a.count),
            ]);
        }
        out.push(Sheet {
            name: t("report-register"),
            headings: vec![t("report-register"), t("report-count")],
            rows,
        });
    }
    if !r.outcomes.is_empty() {
        let lang = page.tr.lang();
        let mut rows = Vec::new();
        for o in &r.outcomes {
            for i in &o.items {
                rows.push(vec![
                    Cell::Text(text_in(&o.title, &lang).to_owned()),
                    Cell::Text(text_in(&i.goal, &lang).to_owned()),
                    Cell::Text(text_in(&i.text, &lang).to_owned()),
                    Cell::Int(i.before_n),
                    Cell::Int(i.after_n),
                    Cell::Int(i.paired_n),
                    i.share_improved.map_or(Cell::Empty, Cell::Share),
                ]);
            }
        }
        out.push(Sheet {
            name: t("report-outcomes"),
            headings: vec![
                t("questionnaires-title"),
                t("report-outcomes-goal"),
                t("report-outcomes-item"),
                t("report-outcomes-before"),
                t("report-outcomes-after"),
                "n".to_owned(),
                t("report-outcomes-improved"),
            ],
            rows,
        });
    }
    out
}
