//! The report's charts, as inline SVG: bars, columns, the heat map and the
//! reached grid. Every label from the data goes in as text (the markup
//! escapes it); the numbers are drawn and printed, so that a chart reads
//! without a mouse and on paper.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::aggregate::{HeatMap, Rate, WEEKDAYS};

/// Every chart's width, in the SVG's units (it scales to the page).
pub const WIDTH: f64 = 1000.0;
/// The width of the labels left of the bars.
const LABEL: f64 = 190.0;
const ROW: f64 = 24.0;

/// The bar colours.
pub const CALLBACK: &str = "#d9480f";
pub const DUE: &str = "#1971c2";
pub const EXCLUDED: &str = "#7048e8";
pub const FORECAST: &str = "#2b8a3e";
pub const ANSWERED: &str = "#0c8599";

/// A number with thousands separators.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A coordinate, to a tenth.
fn at(x: f64) -> String {
    format!("{x:.1}")
}

/// A label cut to fit beside the bars (the whole of it in the tooltip and
/// the table).
fn fit(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        label.to_owned()
    } else {
        let mut cut: String = label.chars().take(chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// One horizontal bar: its label, its parts (value and colour), the text
/// printed after it and its tooltip.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub parts: Vec<(f64, &'static str)>,
    pub text: String,
    pub title: String,
}

/// Horizontal bars, one per row, scaled so that `max` fills the width.
pub fn bars(id: &str, rows: &[Bar], max: f64) -> Markup {
    let span = WIDTH - LABEL - 90.0;
    let height = ROW * rows.len() as f64 + 8.0;
    let scale = if max > 0.0 { span / max } else { 0.0 };
    html! {
        svg.chart id=(id) viewBox={"0 0 " (WIDTH) " " (at(height))} width=(WIDTH) height=(at(height))
            role="img" xmlns="http://www.w3.org/2000/svg" {
            @for (k, row) in rows.iter().enumerate() {
                @let y = 4.0 + ROW * k as f64;
                g {
                    title { (row.title) }
                    text x=(at(LABEL - 8.0)) y=(at(y + ROW * 0.68)) text-anchor="end" { (fit(&row.label, 26)) }
                    @let (segments, end) = segments(&row.parts, scale);
                    @for (x, w, colour) in segments {
                        rect x=(at(x)) y=(at(y + 3.0)) width=(at(w)) height=(at(ROW - 6.0)) fill=(colour) {}
                    }
                    text x=(at(end + 6.0)) y=(at(y + ROW * 0.68)) { (row.text) }
                }
            }
            line x1=(LABEL) y1="2" x2=(LABEL) y2=(at(height - 2.0)) stroke="#495057" {}
        }
    }
}

/// Where each part of a bar starts and how wide it is, and where the bar
/// ends.
fn segments(parts: &[(f64, &'static str)], scale: f64) -> (Vec<(f64, f64, &'static str)>, f64) {
    let mut x = LABEL;
    let mut out = Vec::with_capacity(parts.len());
    for &(value, colour) in parts {
        let w = (value * scale).max(0.0);
        out.push((x, w, colour));
        x += w;
    }
    (out, x)
}

/// Vertical columns, one per day, with the count above each.
pub fn columns(id: &str, days: &[(NaiveDate, u64)], colour: &str) -> Markup {
    let max = days.iter().map(|d| d.1).max().unwrap_or(0).max(1) as f64;
    let (top, chart, bottom) = (22.0, 220.0, 46.0);
    let left = 10.0;
    let step = if days.is_empty() {
        0.0
    } else {
        (WIDTH - 2.0 * left) / days.len() as f64
    };
    let height = top + chart + bottom;
    html! {
        svg.chart id=(id) viewBox={"0 0 " (WIDTH) " " (height)} width=(WIDTH) height=(height)
            role="img" xmlns="http://www.w3.org/2000/svg" {
            line x1=(left) y1=(top + chart) x2=(WIDTH - left) y2=(top + chart) stroke="#495057" {}
            @for (k, (day, n)) in days.iter().enumerate() {
                @let x = left + step * k as f64;
                @let h = chart * *n as f64 / max;
                @let label = day.format("%a %d %b").to_string();
                g {
                    title { (label) ": " (count(*n)) " account(s) become callable" }
                    rect x=(at(x + step * 0.15)) y=(at(top + chart - h)) width=(at(step * 0.7)) height=(at(h)) fill=(colour) {}
                    text x=(at(x + step / 2.0)) y=(at(top + chart - h - 5.0)) text-anchor="middle" { (count(*n)) }
                    text x=(at(x + step / 2.0)) y=(at(top + chart + 16.0)) text-anchor="middle" class="small" { (day.format("%a")) }
                    text x=(at(x + step / 2.0)) y=(at(top + chart + 32.0)) text-anchor="middle" class="small" { (day.format("%d %b")) }
                }
            }
        }
    }
}

/// A colour for a share from 0 to 1: viridis, from dark purple through
/// blue and green to yellow (readable by the colour-blind, and in grey).
pub fn viridis(share: f64) -> String {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = share.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let k = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// Cells with fewer calls than this are drawn faded: their rate says
/// little.
pub const FEW_CALLS: u64 = 20;

/// The answer rate of each local weekday and hour (the hours any call was
/// made in), each cell with its rate and its number of calls. The colour
/// runs from 0 to `top`, the highest rate of a cell with enough calls.
pub fn heat_map(id: &str, heat: &HeatMap) -> Markup {
    let Some((first, last)) = heat.hours_used() else {
        return html! {};
    };
    let hours = last - first + 1;
    let left = 50.0;
    let cell_w = ((WIDTH - left - 10.0) / hours as f64).min(90.0);
    let (top, cell_h) = (22.0, 38.0);
    let height = top + cell_h * 7.0 + 8.0;
    let top_rate = heat
        .cells
        .iter()
        .flatten()
        .filter(|c| c.calls >= FEW_CALLS)
        .filter_map(|c| c.rate())
        .fold(0.0f64, f64::max);
    let scale = if top_rate > 0.0 { top_rate } else { 1.0 };
    html! {
        svg.chart id=(id) viewBox={"0 0 " (WIDTH) " " (height)} width=(WIDTH) height=(height)
            role="img" xmlns="http://www.w3.org/2000/svg" {
            @for h in first..=last {
                text x=(at(left + cell_w * (h - first) as f64 + cell_w / 2.0)) y="15" text-anchor="middle" class="small" {
                    (format!("{h:02}"))
                }
            }
            @for (d, name) in WEEKDAYS.iter().enumerate() {
                @let y = top + cell_h * d as f64;
                text x=(at(left - 8.0)) y=(at(y + cell_h * 0.62)) text-anchor="end" { (name) }
                @for h in first..=last {
                    @let cell = heat.cells[d][h];
                    @let x = left + cell_w * (h - first) as f64;
                    (heat_cell(name, h, cell, x, y, cell_w, cell_h, scale))
                }
            }
        }
    }
}

/// One cell of the heat map.
#[allow(clippy::too_many_arguments)]
fn heat_cell(
    day: &str,
    hour: usize,
    cell: Rate,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    scale: f64,
) -> Markup {
    let tip = match cell.rate() {
        Some(rate) => format!(
            "{day} {hour:02}:00–{:02}:00: {} answered ({} of {} calls)",
            hour + 1,
            percent(rate),
            count(cell.answered),
            count(cell.calls)
        ),
        None => format!("{day} {hour:02}:00–{:02}:00: no calls", hour + 1),
    };
    let (fill, ink, opacity) = match cell.rate() {
        Some(rate) => {
            let share = rate / scale;
            let ink = if share > 0.6 { "#212529" } else { "#ffffff" };
            let opacity = if cell.calls < FEW_CALLS { "0.45" } else { "1" };
            (viridis(share), ink, opacity)
        }
        None => ("#f1f3f5".to_owned(), "#868e96", "1"),
    };
    html! {
        g.cell data-weekday=(day) data-hour=(hour) data-calls=(cell.calls) data-answered=(cell.answered) {
            title { (tip) }
            rect x=(at(x + 1.0)) y=(at(y + 1.0)) width=(at(w - 2.0)) height=(at(h - 2.0)) fill=(fill) fill-opacity=(opacity) {}
            @if let Some(rate) = cell.rate() {
                text x=(at(x + w / 2.0)) y=(at(y + h * 0.45)) text-anchor="middle" fill=(ink) class="small" { (percent(rate)) }
                text x=(at(x + w / 2.0)) y=(at(y + h * 0.82)) text-anchor="middle" fill=(ink) class="tiny" { (count(cell.calls)) }
            }
        }
    }
}

/// Distinct customers each rep reached on each day, one row per rep, each
/// cell coloured against the target (or, without one, by its share of
/// the largest count).
pub fn reached_grid(
    id: &str,
    days: &[NaiveDate],
    reps: &[(String, Vec<u32>)],
    target: Option<u32>,
) -> Markup {
    if days.is_empty() || reps.is_empty() {
        return html! {};
    }
    let left = LABEL;
    let cell_w = ((WIDTH - left - 10.0) / days.len() as f64).min(60.0);
    let (top, cell_h) = (36.0, 22.0);
    let height = top + cell_h * reps.len() as f64 + 6.0;
    let max = reps
        .iter()
        .flat_map(|(_, counts)| counts.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let fill = |n: u32| -> &'static str {
        match target {
            Some(t) if n >= t => "#2f9e44",
            Some(t) if f64::from(n) >= 0.75 * f64::from(t) => "#f59f00",
            Some(_) if n > 0 => "#e8590c",
            Some(_) => "#c92a2a",
            None => match f64::from(n) / f64::from(max) {
                s if s >= 0.75 => "#1864ab",
                s if s >= 0.5 => "#1c7ed6",
                s if s >= 0.25 => "#4dabf7",
                s if s > 0.0 => "#a5d8ff",
                _ => "#dee2e6",
            },
        }
    };
    html! {
        svg.chart id=(id) viewBox={"0 0 " (WIDTH) " " (height)} width=(WIDTH) height=(height)
            role="img" xmlns="http://www.w3.org/2000/svg" {
            @for (k, day) in days.iter().enumerate() {
                @let x = left + cell_w * k as f64 + cell_w / 2.0;
                text x=(at(x)) y="14" text-anchor="middle" class="tiny" { (day.format("%a")) }
                text x=(at(x)) y="28" text-anchor="middle" class="tiny" { (day.format("%d/%m")) }
            }
            @for (r, (rep, counts)) in reps.iter().enumerate() {
                @let y = top + cell_h * r as f64;
                text x=(at(left - 8.0)) y=(at(y + cell_h * 0.7)) text-anchor="end" { (fit(rep, 26)) }
                @for (k, (day, n)) in days.iter().zip(counts).enumerate() {
                    @let x = left + cell_w * k as f64;
                    @let ink = if target.is_none() && f64::from(*n) / f64::from(max) < 0.5 { "#212529" } else { "#ffffff" };
                    g {
                        title { (rep) ", " (day.format("%a %Y-%m-%d")) ": " (n) " customer(s) reached"
                            @if let Some(t) = target { " (target " (t) ")" } }
                        rect x=(at(x + 1.0)) y=(at(y + 1.0)) width=(at(cell_w - 2.0)) height=(at(cell_h - 2.0)) fill=(fill(*n)) {}
                        text x=(at(x + cell_w / 2.0)) y=(at(y + cell_h * 0.7)) text-anchor="middle" fill=(ink) class="small" { (n) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_shares_read_as_people_write_them() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(percent(0.104), "10%");
        assert_eq!(fit("Dana Whitfield", 26), "Dana Whitfield");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(viridis(0.0), "#440154");
        assert_eq!(viridis(1.0), "#fde725");
        assert_eq!(viridis(7.0), "#fde725");
    }

    #[test]
    fn labels_from_the_data_are_text_in_the_chart() {
        let bar = Bar {
            label: "<script>alert(1)</script>".to_owned(),
            parts: vec![(3.0, DUE)],
            text: "3".to_owned(),
            title: "<img src=x onerror=alert(1)>".to_owned(),
        };
        let svg = bars("x", &[bar], 3.0).into_string();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(
            svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{svg}"
        );
        assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"), "{svg}");
    }
}
