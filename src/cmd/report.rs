//! `callqueue report`: the manager's page for a date, from the same inputs
//! as `build` (see `report/`).

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::ReportArgs;
use crate::cmd::report_problems;
use crate::dataset::{Dataset, Decision, Sources};
use crate::output;
use crate::report::{Report, Run};

pub fn run(args: &ReportArgs) -> Result<()> {
    let sources = Sources::resolve(&args.inputs.path_flags())?;
    let config = &sources.config;
    let date = sources.date(args.inputs.date);
    crate::timings::phase("start");
    let data = Dataset::load(&sources, date, &[], false, !args.quiet)?;
    if !args.quiet {
        report_problems(&data.problems, 20, None);
    }
    if args.strict && !data.problems.is_empty() {
        bail!(
            "--strict: {} problem(s) in the inputs (listed above; `callqueue check` shows them all); nothing written",
            data.problems.list().len()
        );
    }
    let Decision { verdicts, queues } = data.decide(config, None, config.per_rep);
    let report = Report::gather(&Run {
        sources: &sources,
        data: &data,
        verdicts: &verdicts,
        queues: &queues,
        only: None,
        weeks: args.weeks,
    })?;
    crate::timings::phase("report gathered");
    let path = &args.output;
    if path == Path::new("-") {
        let mut out = io::stdout().lock();
        report.write(&mut out)?;
        out.flush()?;
    } else {
        output::write_atomic(path, |out| report.write(out))?;
    }
    crate::timings::phase("report written");
    if !args.quiet {
        let queued: u64 = report.queues.iter().map(|q| q.callbacks + q.due).sum();
        output::say(&format!(
            "{date}: report written to {} ({queued} queued, {} excluded)",
            path.display(),
            report.excluded.iter().map(|e| e.1).sum::<u64>()
        ));
    }
    std::mem::forget((data, verdicts, queues));
    Ok(())
}
