//! `callqueue man`: the manual page, in roff, on standard output: the
//! command's help, its subcommands' help, and the exit codes.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;

pub fn run() -> Result<()> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    man.render_subcommands_section(&mut out)?;
    for sub in command.get_subcommands() {
        let name = format!("callqueue {}", sub.get_name());
        let page = clap_mangen::Man::new(
            sub.clone()
                .bin_name(name.clone())
                .display_name(name.clone()),
        );
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        page.render_synopsis_section(&mut out)?;
        page.render_description_section(&mut out)?;
        page.render_options_section(&mut out)?;
        if let Some(after) = sub.get_after_long_help() {
            writeln!(out, ".PP")?;
            for line in after.to_string().lines() {
                writeln!(out, "{}", roff_line(line))?;
                writeln!(out, ".br")?;
            }
        }
    }
    out.write_all(EXIT_STATUS.as_bytes())?;
    man.render_version_section(&mut out)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(())
}

const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
0
Success, including a day on which nobody is called (a weekend, a holiday) and a closed pipe.
.TP
1
A failure: an unreadable or missing file, a missing required column, an invalid config, \fB--strict\fR with problems in the inputs, \fBcheck\fR finding an error, \fBexplain\fR asked about an account not in the territory. Nothing is written.
.TP
2
Wrong usage: an unknown flag, a bad \fB--date\fR or \fB--limit\fR, no territory or history given, two inputs on standard input, an unknown \fB--rep\fR.
"#;

/// A line of text as roff: a leading dot or quote would be a request.
fn roff_line(line: &str) -> String {
    let text = line.replace('\\', "\\e");
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}
