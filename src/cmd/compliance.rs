//! `callqueue compliance [REGION...]`: the telemarketing rules a compliance
//! profile holds for each region asked (or every region it names), each
//! with its hours per weekday, days without calls, holidays, limits and
//! citation, in words a manager can read.

use std::fmt::Write as _;

use std::io::Write as _;

use anyhow::{Context, Result};

use crate::UsageError;
use crate::cli::ComplianceArgs;
use crate::config::Config;
use crate::domain::compliance::{DayRule, Limit, Profile, RegionRule};
use crate::output::terminal_safe;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn run(args: &ComplianceArgs) -> Result<()> {
    let config = Config::load(args.config.as_deref())?;
    let profile = match &args.profile {
        Some(name) => match Profile::builtin(name) {
            Some(profile) => profile,
            None => {
                let text = std::fs::read_to_string(name).with_context(|| {
                    format!("{name}: neither us, ca nor a readable profile file")
                })?;
                Profile::parse(&text, name).map_err(|e| anyhow::anyhow!("{e}"))?
            }
        },
        None => config.policy.profile.clone().ok_or_else(|| {
            UsageError(format!(
                "no compliance profile: {} has no [compliance] profile; pass --profile us (or ca, or a file)",
                config.name()
            ))
        })?,
    };
    let mut out = std::io::stdout().lock();
    out.write_all(describe(&profile, &args.regions).as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The text `callqueue compliance [REGION...]` prints: the profile, then
/// for each region asked (every region the profile names when none is)
/// the rules that apply there.
pub fn describe(profile: &Profile, regions: &[String]) -> String {
    let mut text = String::new();
    line(
        &mut text,
        &format!(
            "Compliance profile {} ({}), checked against the law on {}.",
            profile.name, profile.source, profile.as_of
        ),
    );
    line(
        &mut text,
        "Not legal advice. Exemptions (existing customers, consent) are not modelled: every call is held to these rules.",
    );
    let asked: Vec<String> = if regions.is_empty() {
        profile.regions().into_iter().map(str::to_owned).collect()
    } else {
        regions
            .iter()
            .map(|r| r.trim().to_ascii_uppercase())
            .collect()
    };
    for region in &asked {
        text.push('\n');
        region_section(&mut text, profile, region);
    }
    if regions.is_empty() {
        for country in countries(profile) {
            text.push('\n');
            unknown_region_section(&mut text, profile, &country);
        }
    }
    text
}

/// One region: its heading, then each rule that applies there.
fn region_section(text: &mut String, profile: &Profile, region: &str) {
    let country = region.split('-').next().unwrap_or(region);
    let rules: Vec<&RegionRule> = profile.rules_for(region).collect();
    let names_it = |r: &RegionRule| r.regions.iter().any(|code| code == region);
    let named = rules.iter().any(|r| names_it(r));
    if rules.is_empty() {
        line(
            text,
            &format!("{region}  no rule of this profile names {region} or {country}"),
        );
        return;
    }
    if named || region == country {
        line(text, region);
    } else {
        line(
            text,
            &format!("{region}  no rule names {region} beyond those for all of {country}:"),
        );
    }
    let labels: Vec<&str> = rules
        .iter()
        .map(|r| if names_it(r) { region } else { country })
        .collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (rule, label) in rules.iter().zip(labels) {
        rule_lines(text, rule, label, width);
    }
}

/// A country's customers whose region is unknown: the strictest rule.
fn unknown_region_section(text: &mut String, profile: &Profile, country: &str) {
    let label = format!("{country}, region unknown");
    line(
        text,
        &format!("{label}  every {country} region's rules at once:"),
    );
    rule_lines(text, &profile.strictest(country), country, country.len());
}

/// The countries the profile names, sorted.
fn countries(profile: &Profile) -> Vec<String> {
    let mut countries: Vec<String> = profile
        .regions()
        .into_iter()
        .map(|r| r.split('-').next().unwrap_or(r).to_owned())
        .collect();
    countries.dedup();
    countries
}

/// A rule: its hours and limits, then its citation, on one line; its
/// holidays on the next.
fn rule_lines(text: &mut String, rule: &RegionRule, label: &str, width: usize) {
    let mut parts = Vec::new();
    if let Some(hours) = hours_words(&rule.days) {
        parts.push(hours);
    }
    parts.extend(rule.limits.iter().map(limit_words));
    if parts.is_empty() {
        parts.push("no hours of its own".to_owned());
    }
    line(
        text,
        &format!(
            "  {label:<width$}  {} ({})",
            parts.join("; "),
            rule.citation
        ),
    );
    if !rule.holidays.is_empty() {
        let days: Vec<String> = rule.holidays.iter().map(|h| h.words()).collect();
        line(
            text,
            &format!(
                "  {:<width$}  no calls on holidays: {}",
                "",
                days.join(", ")
            ),
        );
    }
}

/// `Mon–Fri 09:00–18:00, Sat 10:00–17:00, no calls Sun`; `every day
/// 08:00–21:00`; `None` when the rule sets no day.
fn hours_words(days: &[DayRule; 7]) -> Option<String> {
    if days.iter().all(|&d| d == DayRule::Any) {
        return None;
    }
    if days.iter().all(|&d| d == days[0]) {
        return Some(format!("every day {}", day_words(days[0]).trim_start()));
    }
    let mut runs: Vec<String> = Vec::new();
    let mut start = 0;
    while start < days.len() {
        let mut end = start;
        while end + 1 < days.len() && days[end + 1] == days[start] {
            end += 1;
        }
        if days[start] != DayRule::Any {
            let span = if end > start {
                format!("{}–{}", WEEKDAYS[start], WEEKDAYS[end])
            } else {
                WEEKDAYS[start].to_owned()
            };
            runs.push(match days[start] {
                DayRule::Banned => format!("no calls {span}"),
                rule => format!("{span} {}", day_words(rule)),
            });
        }
        start = end + 1;
    }
    Some(runs.join(", "))
}

/// `09:00–18:00`, or `no calls`.
fn day_words(rule: DayRule) -> String {
    match rule {
        DayRule::Between(from, until) => {
            format!("{}–{}", from.format("%H:%M"), until.format("%H:%M"))
        }
        DayRule::Banned => "no calls".to_owned(),
        DayRule::Any => "any time".to_owned(),
    }
}

/// `at most 3 attempts in 24 hours`, with the limit's own citation.
fn limit_words(limit: &Limit) -> String {
    let mut words = format!(
        "at most {} {} in {} hours",
        limit.count,
        limit.of.name(),
        limit.within_hours
    );
    if let Some(citation) = &limit.citation {
        let _ = write!(words, " under {citation}");
    }
    words
}

/// Appends one line, with anything a terminal would act on shown escaped
/// (a user's profile or a region typed on the command line may hold it).
fn line(text: &mut String, content: &str) {
    text.push_str(&terminal_safe(content));
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Profile {
        Profile::builtin("us").unwrap()
    }

    fn ask(profile: &Profile, regions: &[&str]) -> String {
        let regions: Vec<String> = regions.iter().map(|r| (*r).to_owned()).collect();
        describe(profile, &regions)
    }

    #[test]
    fn a_state_shows_the_federal_rule_and_its_own() {
        let text = ask(&us(), &["us-fl"]);
        assert!(
            text.starts_with(
                "Compliance profile us (profiles/us.toml), checked against the law on 2026-12-05.\n"
            ),
            "{text}"
        );
        assert!(text.contains("Not legal advice"), "{text}");
        assert!(
            text.contains(
                "\nUS-FL\n  US     every day 08:00–21:00 (47 CFR § 64.1200(c)(1); 16 CFR § 310.4(c))\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "  US-FL  every day 08:00–20:00; at most 3 attempts in 24 hours under Fla. Stat. § 501.616(6)(b) (Fla. Stat. § 501.616(6))\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn weekdays_banned_days_and_holidays_read_plainly() {
        let text = ask(&us(), &["US-RI", "US-TX"]);
        assert!(
            text.contains(
                "  US-RI  Mon–Fri 09:00–18:00, Sat 10:00–17:00, no calls Sun (R.I. Gen. Laws § 5-61-3.6;"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "         no calls on holidays: New Year's Day (Jan 1, observed), New Year's Day (Jan 1, observed Mon), Dr. Martin Luther King, Jr.'s Birthday (3rd Mon of Jan),"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "  US-TX  Mon–Sat 09:00–21:00, Sun 12:00–21:00 (Tex. Bus. & Com. Code § 301.051)"
            ),
            "{text}"
        );
        let ca = describe(&Profile::builtin("ca").unwrap(), &[]);
        assert!(
            ca.contains("  CA  Mon–Fri 09:00–21:30, Sat–Sun 10:00–18:00 (CRTC"),
            "{ca}"
        );
    }

    #[test]
    fn a_region_no_rule_names_gets_one_line_then_its_countrys_rules() {
        let text = ask(&us(), &["US-NY", "GB-LND"]);
        assert!(
            text.contains("\nUS-NY  no rule names US-NY beyond those for all of US:\n  US  every day 08:00–21:00"),
            "{text}"
        );
        assert!(
            text.contains("\nGB-LND  no rule of this profile names GB-LND or GB\n"),
            "{text}"
        );
    }

    #[test]
    fn no_region_asked_shows_every_region_and_the_unknown_one() {
        let p = us();
        let text = describe(&p, &[]);
        for region in p.regions() {
            assert!(text.contains(&format!("\n{region}\n")), "{region}: {text}");
        }
        assert!(
            text.contains("\nUS, region unknown  every US region's rules at once:\n  US  Mon–Fri 09:00–18:00, Sat 10:00–17:00, no calls Sun; at most 3 attempts in 24 hours"),
            "{text}"
        );
    }

    #[test]
    fn text_from_a_users_profile_or_the_command_line_is_made_terminal_safe() {
        let p = Profile::parse(
            "name = \"x\"\nas_of = 2026-12-05\n[[rule]]\nregions = [\"US\"]\nhours = \"08:00-20:00\"\ncitation = \"law \\u001b[31m\"\n",
            "x.toml",
        )
        .unwrap();
        let text = ask(&p, &["US-\u{1b}[2J"]);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("law \\u{1b}[31m"), "{text}");
    }
}
