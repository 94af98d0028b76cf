//! The best time to call: the hour of today's calling window when a
//! customer is likeliest to answer, from answer rates by the customer's
//! local weekday and hour.
//!
//! The model, as the README gives it to managers: for each hour of
//! today's window, callqueue counts how often calls at that weekday and
//! hour were answered, for this customer (its latest four calls) and for
//! similar customers (same region, else same time zone). A group's rate is
//! pulled toward everyone's by 20 calls' worth, and the customer's own
//! toward its group's by 5 calls' worth, so that a customer called once
//! or twice mostly takes its group's pattern and a group with few calls
//! mostly everyone's. The hour with the highest rate is the best time
//! (the earliest on a tie). The column stays empty when the group has
//! fewer than 20 calls at any hour of today's window, or when no hour is
//! at least 2 points better than another.

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

/// Calls by the customer's local weekday (Monday first) and hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekHours(Box<[[Rate; 24]; 7]>);

impl Default for WeekHours {
    fn default() -> WeekHours {
        WeekHours(Box::new([[Rate::default(); 24]; 7]))
    }
}

impl WeekHours {
    pub fn at(&self, weekday: usize, hour: usize) -> Rate {
        self.0[weekday % 7][hour % 24]
    }

    pub fn add(&mut self, weekday: usize, hour: usize, answered: bool) {
        self.0[weekday % 7][hour % 24].add(answered);
    }

    /// Adds another table's calls: the order tables are merged in does
    /// not change the sums.
    pub fn merge(&mut self, other: &WeekHours) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(*b);
            }
        }
    }
}

/// A group needs this many calls at every hour of today's window.
pub const MIN_CALLS: u32 = 20;
/// A group's rate is pulled toward everyone's by this many calls' worth.
pub const GROUP_WEIGHT: f64 = 20.0;
/// A customer's rate is pulled toward its group's by this many calls' worth.
pub const OWN_WEIGHT: f64 = 5.0;
/// The best hour must beat the worst by this much (2 points).
pub const MIN_SPREAD: f64 = 0.02;

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
    /// Every hour's estimate is within `MIN_SPREAD` of every other's: the
    /// best and the worst.
    NoDifference { best: f64, worst: f64 },
}

/// The best of today's hours (an index into them), or why there is none.
/// Ties go to the earliest hour.
pub fn choose(hours: &[HourCalls]) -> Result<usize, NoBest> {
    let mut best: Option<(usize, f64)> = None;
    let mut worst = f64::INFINITY;
    for (k, hour) in hours.iter().enumerate() {
        let Some(rate) = hour.estimate() else {
            return Err(NoBest::FewCalls(k));
        };
        if best.is_none_or(|(_, b)| rate > b) {
            best = Some((k, rate));
        }
        worst = worst.min(rate);
    }
    let (k, rate) = best.ok_or(NoBest::NoHours)?;
    if rate - worst < MIN_SPREAD {
        return Err(NoBest::NoDifference { best: rate, worst });
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
    fn hours_alike_within_two_points_give_no_best_time() {
        let a = hour(rate(0, 0), rate(250, 1000));
        let b = hour(rate(0, 0), rate(269, 1000));
        let c = hour(rate(0, 0), rate(272, 1000));
        assert!(matches!(choose(&[a, b]), Err(NoBest::NoDifference { .. })));
        assert_eq!(choose(&[a, c]), Ok(1));
        // One hour alone differs from nothing.
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
        // call at the second hour: (1 + 5 x 0.3) / (1 + 5).
        let group = rate(300, 1000);
        let plain = hour(rate(0, 0), group);
        let answered = hour(rate(1, 1), group);
        assert!((plain.estimate().unwrap() - 0.3).abs() < 1e-12);
        assert!((answered.estimate().unwrap() - 2.5 / 6.0).abs() < 1e-12);
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
