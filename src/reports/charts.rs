//! Report charts, drawn on the server as SVG with plotters (SVG backend, no
//! font feature: the browser renders the text; plotters only estimates its
//! width for the layout). The SVG is embedded in the page, so it prints
//! with it and needs no script; its data table sits next to it.
//!
//! Each chart is drawn twice: wide for desktops and print, and narrow for
//! phones (360 px, drawn at about the size it is shown, so its text stays
//! readable); the stylesheet shows one of them (`svg.chart.wide`,
//! `svg.chart.narrow`).

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

const ACCENT: RGBColor = RGBColor(0x1f, 0x6f, 0x5c);
const PREVIOUS: RGBColor = RGBColor(0xc2, 0x7c, 0x0e);
const GRID: RGBColor = RGBColor(0xd9, 0xdc, 0xd6);
const FONT: &str = "sans-serif";

/// The two drawings of a chart: their width and text sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Wide,
    Narrow,
}

impl Size {
    fn width(self) -> u32 {
        match self {
            Size::Wide => 720,
            Size::Narrow => 340,
        }
    }

    /// The caption's and the labels' font sizes.
    fn fonts(self) -> (u32, u32) {
        match self {
            Size::Wide => (22, 15),
            // Plotters writes about 0.8 of these sizes.
            Size::Narrow => (18, 15),
        }
    }

    fn class(self) -> &'static str {
        match self {
            Size::Wide => "wide",
            Size::Narrow => "narrow",
        }
    }
}

/// A chart in both sizes, the wide one first. The narrow one has its
/// title above it as text, which wraps (a caption drawn in the SVG would
/// run off a phone's screen).
pub fn both(title: &str, draw: impl Fn(Size) -> String) -> String {
    let wide = draw(Size::Wide);
    if wide.is_empty() {
        return wide;
    }
    format!(
        "{wide}<figcaption class=\"narrow\">{}</figcaption>{}",
        escape(title),
        draw(Size::Narrow)
    )
}

/// Text for HTML (`<`, `>`, `&`, `"`).
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Turns plotters' fixed-size document into one that scales with the page
/// (the viewBox keeps the proportions) and names it for screen readers; a
/// chart that could not be drawn is left out (and logged).
fn finish(drawn: Drawn, svg: String, size: Size, height: u32, title: &str) -> String {
    let width = size.width();
    if let Err(e) = drawn {
        tracing::warn!(error = %e, "chart not drawn");
        return String::new();
    }
    let label = escape(title);
    svg.replacen(
        &format!("<svg width=\"{width}\" height=\"{height}\""),
        &format!(
            "<svg class=\"chart {}\" role=\"img\" aria-label=\"{label}\"",
            size.class()
        ),
        1,
    )
}

/// The largest value as the axis end, with some headroom (at least 1).
fn top(values: impl Iterator<Item = i64>) -> i64 {
    let max = values.max().unwrap_or(0).max(1);
    max + (max / 10).max(1)
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Vertical bars for `values` under `labels`, and optionally a line for a
/// second series (the previous year) over the same categories.
pub fn bars(
    size: Size,
    title: &str,
    labels: &[String],
    values: &[i64],
    line: Option<(&str, &[i64])>,
    bar_name: &str,
) -> String {
    let (w, h) = (size.width(), 320u32);
    let (caption, font) = size.fonts();
    // On a phone, more than eight categories get every other label.
    let every = if size == Size::Narrow && labels.len() > 8 {
        2
    } else {
        1
    };
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        let n = labels.len().max(1) as u32;
        let mut max = top(values.iter().chain(line.iter().flat_map(|l| l.1)).copied());
        if line.is_some() {
            // Room above the tallest bar for the legend in the corner.
            max += max / 3;
        }
        let mut builder = ChartBuilder::on(&root);
        if size == Size::Wide {
            builder.caption(title, (FONT, caption));
        }
        let mut chart = builder
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(font * 3)
            .build_cartesian_2d((0u32..n - 1).into_segmented(), 0i64..max)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_labels(n as usize)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i as usize % every == 0 => {
                    labels.get(*i as usize).cloned().unwrap_or_default()
                }
                _ => String::new(),
            })
            .label_style((FONT, font))
            .draw()?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(ACCENT.filled())
                    .margin(6)
                    .data(values.iter().enumerate().map(|(i, v)| (i as u32, *v))),
            )?
            .label(bar_name)
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], ACCENT.filled()));
        if let Some((name, prev)) = line {
            chart
                .draw_series(LineSeries::new(
                    prev.iter()
                        .enumerate()
                        .map(|(i, v)| (SegmentValue::CenterOf(i as u32), *v)),
                    PREVIOUS.stroke_width(2),
                ))?
                .label(name)
                .legend(|(x, y)| PathElement::new([(x, y), (x + 12, y)], PREVIOUS.stroke_width(2)));
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.8))
                .border_style(GRID)
                .label_font((FONT, font))
                .draw()?;
        }
        root.present()?;
        Ok(())
    })();
    finish(drawn, svg, size, h, title)
}

/// Horizontal bars, one per (label, value), largest first as given.
pub fn horizontal_bars(size: Size, title: &str, items: &[(String, i64)]) -> String {
    let n = items.len().max(1) as u32;
    let (w, h) = (size.width(), 60 + 26 * n);
    let (caption, font) = size.fonts();
    // Room for the longest label at roughly half the font size a
    // character, within bounds; on a phone a longer label is shortened.
    let (per_char, widest) = (font / 2, w / 2);
    let longest = (widest - 12) / per_char;
    let items: Vec<(String, i64)> = items
        .iter()
        .map(|(l, v)| (shorten(l, longest as usize), *v))
        .collect();
    let label_width = items
        .iter()
        .map(|(l, _)| l.chars().count() as u32 * per_char + 12)
        .max()
        .unwrap_or(60)
        .clamp(60, widest);
    let mut svg = String::new();
    let drawn: Drawn = (|| {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        let max = top(items.iter().map(|(_, v)| *v));
        let mut builder = ChartBuilder::on(&root);
        if size == Size::Wide {
            builder.caption(title, (FONT, caption));
        }
        let mut chart = builder
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0i64..max, (0u32..n - 1).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .y_labels(n as usize)
            .y_label_formatter(&|v| match v {
                // Plotters counts upwards; the first item goes on top.
                SegmentValue::CenterOf(i) => items
                    .get((n - 1).saturating_sub(*i) as usize)
                    .map(|(l, _)| l.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, font))
            .draw()?;
        chart.draw_series(
            Histogram::horizontal(&chart)
                .style(ACCENT.filled())
                .margin(4)
                .data(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, (_, v))| (n - 1 - i as u32, *v)),
                ),
        )?;
        root.present()?;
        Ok(())
    })();
    finish(drawn, svg, size, h, title)
}

/// `s` cut to `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_with_the_page_and_carry_their_title() {
        let labels: Vec<String> = (1..=12).map(|m| format!("M{m}")).collect();
        let svg = bars(
            Size::Wide,
            "Visits <2012>",
            &labels,
            &[5; 12],
            Some(("2011", &[3; 12])),
            "2012",
        );
        assert!(svg.starts_with(
            "<svg class=\"chart wide\" role=\"img\" aria-label=\"Visits &lt;2012&gt;\""
        ));
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
        assert!(svg.contains(">\nM12\n<"));
        assert_eq!(svg.matches(">\nM1\n<").count(), 1);
        assert!(svg.contains("<polyline"), "the previous year's line");
        assert!(svg.matches("<rect").count() >= 12);
    }

    /// The y coordinate of the text element showing `label`.
    fn text_y(svg: &str, label: &str) -> f64 {
        let at = svg
            .find(&format!(">\n{label}\n</text>"))
            .expect("label drawn");
        let y = svg[..at].rfind(" y=\"").expect("y attribute") + 4;
        svg[y..]
            .split('"')
            .next()
            .and_then(|v| v.parse().ok())
            .expect("number")
    }

    #[test]
    fn horizontal_bars_put_the_first_item_on_top() {
        let svg = horizontal_bars(
            Size::Wide,
            "Topics",
            &[("Health".into(), 10), ("School & day care".into(), 4)],
        );
        assert!(text_y(&svg, "Health") < text_y(&svg, "School &amp; day care"));
        assert_eq!(svg.matches(">\nHealth\n<").count(), 1, "each label once");
        assert!(svg.contains("viewBox=\"0 0 720 112\""));
    }

    #[test]
    fn empty_data_still_draws_an_axis() {
        assert!(bars(Size::Wide, "Empty", &[], &[], None, "x").contains("<svg"));
        assert!(horizontal_bars(Size::Narrow, "Empty", &[]).contains("<svg"));
    }

    #[test]
    fn the_phone_drawing_is_narrow_with_every_other_month() {
        let labels: Vec<String> = (1..=12).map(|m| format!("M{m}")).collect();
        let svg = both("Visits & more", |size| {
            bars(size, "Visits & more", &labels, &[5; 12], None, "2012")
        });
        assert!(svg.contains("<figcaption class=\"narrow\">Visits &amp; more</figcaption>"));
        assert_eq!(svg.matches("<svg class=\"chart wide\"").count(), 1);
        assert_eq!(svg.matches("<svg class=\"chart narrow\"").count(), 1);
        let narrow = &svg[svg.find("chart narrow").expect("narrow")..];
        assert!(narrow.contains("viewBox=\"0 0 340 320\""));
        assert!(narrow.contains(">\nM1\n<") && !narrow.contains(">\nM2\n<"));
        let long = [
            ("Gesundheit, Vorsorge und Krankenversicherung".to_owned(), 3),
            ("Schule".to_owned(), 2),
        ];
        let svg = horizontal_bars(Size::Narrow, "Themen", &long);
        assert!(svg.contains(">\nGesundheit, Vorsorge"), "{svg}");
        assert!(svg.contains("…\n<") && !svg.contains("Krankenversicherung"));
    }
}
