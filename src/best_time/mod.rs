//! The best time to call: the hour of today's calling window when a
//! customer is likeliest to answer, from answer rates by the customer's
//! local weekday and hour.
//!
//! The model, as the README gives it to managers: for each hour of
//! today's window, callqueue counts how often calls at that weekday and
//! hour were answered, for this customer (its latest four calls) and for
//! similar customers (same region, else same time zone). A group's rate is
//! pulled toward everyone's by 20 calls' worth, and the customer's own
//! toward its group's by 10 calls' worth, so that a customer called once
//! or twice mostly takes its group's pattern and a group with few calls
//! mostly everyone's. The hour with the highest rate is the best time
//! (the earliest on a tie). The column stays empty when the group has
//! fewer than 20 calls at any hour of today's window, or when the best
//! hour's lead over the window's other hours could be chance: less than 2
//! points, or less than three standard errors (on 1,000 calls an hour at
//! 30%, about 5 points).

pub mod calls;
pub mod rates;

pub use calls::{LatestCalls, StampClock, ZoneClock};
pub use rates::{AnswerRates, BestTime};

/// Calls at one weekday and hour, and how many were answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    pub answered: u32,
    pub calls: u32,
}

impl Rate {
    pub fn add(&mut self, answered: bool) {
        self.calls += 1;
        self.answered += u32::from(answered);
    }

    fn merge(&mut self, other: Rate) {
        self.calls += other.calls;
        self.answered += other.answered;
    }

    /// The share answered; `None` with no calls.
    pub fn share(self) -> Option<f64> {
        (self.calls > 0).then(|| f64::from(self.answered) / f64::from(self.calls))
    }
}

/// Calls by the customer's local weekday and hour: the hours of the
/// week, from Monday 00:00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekHours(Box<[Rate; 168]>);

impl Default for WeekHours {
    fn default() -> WeekHours {
        WeekHours(Box::new([Rate::default(); 168]))
    }
}

impl WeekHours {
    /// The calls at `weekday` (0 for Monday) and `hour`.
    pub fn at(&self, weekday: usize, hour: usize) -> Rate {
        self.0[(weekday % 7) * 24 + hour % 24]
    }

    /// Adds a call at hour `week_hour` of the week (from Monday 00:00).
    pub fn add(&mut self, week_hour: usize, answered: bool) {
        if let Some(rate) = self.0.get_mut(week_hour) {
            rate.add(answered);
        }
    }

    /// Adds another table's calls: the order tables are merged in does
    /// not change the sums.
    pub fn merge(&mut self, other: &WeekHours) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            a.merge(*b);
        }
    }
}

/// A group needs this many calls at every hour of today's window.
pub const MIN_CALLS: u32 = 20;
/// A group's rate is pulled toward everyone's by this many calls' worth.
pub const GROUP_WEIGHT: f64 = 20.0;
/// A customer's rate is pulled toward its group's by this many calls' worth.
pub const OWN_WEIGHT: f64 = 10.0;
/// The best hour must lead the others' average by at least this much (2
/// points) ...
pub const MIN_LEAD: f64 = 0.02;
/// ... and by this many standard errors: with eight hours to pick from,
/// chance alone gives a lead that large about once in two hundred days.
pub const MIN_Z: f64 = 3.0;

/// One hour of today's window: the customer's calls at that weekday and
/// hour, its group's, and everyone's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourCalls {
    pub own: Rate,
    pub group: Rate,
    pub everyone: Rate,
}

impl HourCalls {
    /// The customer's estimated chance of answering: its own rate pulled
    /// toward its group's, which is pulled toward everyone's. `None` when
    /// the group has too few calls to tell.
    pub fn estimate(&self) -> Option<f64> {
        if self.group.calls < MIN_CALLS {
            return None;
        }
        let everyone = self.everyone.share()?;
        let group = (f64::from(self.group.answered) + GROUP_WEIGHT * everyone)
            / (f64::from(self.group.calls) + GROUP_WEIGHT);
        Some(
            (f64::from(self.own.answered) + OWN_WEIGHT * group)
                / (f64::from(self.own.calls) + OWN_WEIGHT),
        )
    }
}

/// Why a customer has no best time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoBest {
    /// No hour of today's window (no window today).
    NoHours,
    /// The group has fewer than `MIN_CALLS` calls at this hour (an index
    /// into the hours).
    FewCalls(usize),
    /// The best hour's lead over the others' average is under `MIN_LEAD`
    /// or `MIN_Z` standard errors (`needed`): the best estimate, the
    /// others' average, and the lead needed.
    NoDifference { best: f64, others: f64, needed: f64 },
}

/// The best of today's hours (an index into them), or why there is none.
/// Ties go to the earliest hour.
pub fn choose(hours: &[HourCalls]) -> Result<usize, NoBest> {
    let mut estimates = Vec::with_capacity(hours.len());
    for (k, hour) in hours.iter().enumerate() {
        estimates.push(hour.estimate().ok_or(NoBest::FewCalls(k))?);
    }
    let mut best: Option<(usize, f64)> = None;
    for (k, &rate) in estimates.iter().enumerate() {
        if best.is_none_or(|(_, b)| rate > b) {
            best = Some((k, rate));
        }
    }
    let (k, rate) = best.ok_or(NoBest::NoHours)?;
    // The lead over the other hours' average, against the chance a
    // lead that large comes from calls alone (a difference of two shares,
    // on the calls behind each).
    let others = hours.len() - 1;
    let (others_rate, others_calls) = if others == 0 {
        (rate, 0.0)
    } else {
        let sum: f64 = estimates.iter().sum::<f64>() - rate;
        let calls: u32 = hours.iter().map(|h| h.group.calls).sum::<u32>() - hours[k].group.calls;
        (sum / others as f64, f64::from(calls))
    };
    let best_calls = f64::from(hours[k].group.calls + hours[k].own.calls);
    let pooled = (rate + others_rate * others as f64) / hours.len() as f64;
    let error = (pooled * (1.0 - pooled) * (1.0 / best_calls + 1.0 / others_calls.max(1.0))).sqrt();
    let needed = MIN_LEAD.max(MIN_Z * error);
    if others == 0 || rate - others_rate < needed {
        return Err(NoBest::NoDifference {
            best: rate,
            others: others_rate,
            needed,
        });
    }
    Ok(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(answered: u32, calls: u32) -> Rate {
        Rate { answered, calls }
    }

    fn hour(own: Rate, group: Rate) -> HourCalls {
        HourCalls {
            own,
            group,
            everyone: group,
        }
    }

    #[test]
    fn a_group_needs_twenty_calls_at_every_hour() {
        let many = hour(rate(0, 0), rate(10, 40));
        let nineteen = hour(rate(0, 0), rate(19, 19));
        let twenty = hour(rate(0, 0), rate(20, 20));
        assert_eq!(choose(&[many, nineteen]), Err(NoBest::FewCalls(1)));
        assert_eq!(choose(&[many, twenty]), Ok(1));
        // Own calls alone never make up for a thin group.
        let own = hour(rate(4, 4), rate(4, 19));
        assert_eq!(choose(&[many, own]), Err(NoBest::FewCalls(1)));
    }

    #[test]
    fn a_lead_chance_could_give_is_no_best_time() {
        // On a million calls an hour, only the 2-point floor counts.
        let a = hour(rate(0, 0), rate(250_000, 1_000_000));
        let b = hour(rate(0, 0), rate(269_000, 1_000_000));
        let c = hour(rate(0, 0), rate(271_000, 1_000_000));
        assert!(matches!(choose(&[a, b]), Err(NoBest::NoDifference { .. })));
        assert_eq!(choose(&[a, c]), Ok(1));
        // On 1,000 calls an hour, three standard errors: 0.25 against
        // 0.29 is 2 standard errors (2 points each), 0.25 against 0.32
        // is 3.5.
        let a = hour(rate(0, 0), rate(250, 1000));
        let b = hour(rate(0, 0), rate(290, 1000));
        let c = hour(rate(0, 0), rate(320, 1000));
        match choose(&[a, b]) {
            Err(NoBest::NoDifference { needed, .. }) => {
                assert!((needed - 0.059).abs() < 0.002, "{needed}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(choose(&[a, c]), Ok(1));
        // One hour alone leads nothing.
        assert!(matches!(choose(&[a]), Err(NoBest::NoDifference { .. })));
        assert_eq!(choose(&[]), Err(NoBest::NoHours));
    }

    #[test]
    fn ties_go_to_the_earliest_hour() {
        let low = hour(rate(0, 0), rate(100, 1000));
        let high = hour(rate(0, 0), rate(400, 1000));
        assert_eq!(choose(&[low, high, high, low]), Ok(1));
    }

    #[test]
    fn own_calls_pull_the_estimate_by_their_weight() {
        // The group answers 30% everywhere; the customer answered its one
        // call at the second hour: (1 + 10 x 0.3) / (1 + 10).
        let group = rate(300, 1000);
        let plain = hour(rate(0, 0), group);
        let answered = hour(rate(1, 1), group);
        assert!((plain.estimate().unwrap() - 0.3).abs() < 1e-12);
        assert!((answered.estimate().unwrap() - 4.0 / 11.0).abs() < 1e-12);
        assert_eq!(choose(&[plain, answered, plain]), Ok(1));
        // A thin group leans on everyone's rate.
        let thin = HourCalls {
            own: rate(0, 0),
            group: rate(20, 20),
            everyone: rate(100, 1000),
        };
        assert!((thin.estimate().unwrap() - 22.0 / 40.0).abs() < 1e-12);
    }
}
