//! Opening inputs (a path, or `-` for standard input) and the one place where
//! CSV readers are built and headers matched to the columns callqueue reads.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};

pub use crate::engine::csv::{CsvReader, LongQuote, Row, Texts, open_quote_at_end};

/// A column callqueue reads, and the other headers that read as it with no
/// `[columns]` entry: the spellings CRMs write for it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// Matched as headers match (`header_key`), so `Do Not Call` also
    /// stands for `do-not-call` and `DO_NOT_CALL`.
    pub spellings: &'static [&'static str],
}

/// Every column callqueue knows, in any input; `[columns]` maps other
/// headers onto these names. A column's CRM spellings are listed here and
/// nowhere else (the README lists them all). A header that is not a
/// column's exact spelling is not read as that column: a `Region` or
/// `Territory` is a sales region, never a state.
pub const COLUMNS: &[Column] = &[
    column("account_id", &[]),
    column("phone", &["Phone Number"]),
    // Salesforce's and HubSpot's names for the account and its owner.
    column("name", &["Account Name", "Company Name"]),
    column(
        "rep",
        &["Account Owner", "Company Owner", "Contact Owner", "Owner"],
    ),
    // HubSpot's stage; Salesforce's `Type` is too plain a word to read
    // unasked (map it: "Type" = "status").
    column("status", &["Lifecycle Stage", "Account Status"]),
    // Salesforce's Do Not Call field (its label and its API name), the
    // common abbreviation, and the flag as other CRMs and sheets name it.
    // `Opt Out` is the column's own name as headers match; it is listed
    // so that this list is the whole list.
    column(
        "opt_out",
        &["Do Not Call", "DoNotCall", "DNC", "Opted Out", "Opt Out"],
    ),
    column("timezone", &[]),
    column("priority", &[]),
    column("last_order", &[]),
    column("last_inquiry", &[]),
    column("opt_in", &[]),
    // Salesforce's account and contact addresses, HubSpot's and the plain
    // words. A plain `Region` or `Territory` is a sales region: not here.
    column(
        "country",
        &["Country/Region", "Billing Country", "Mailing Country"],
    ),
    column(
        "state",
        &[
            "Billing State/Province",
            "Mailing State/Province",
            "State/Province",
            "State/Region",
            "Province",
        ],
    ),
    column(
        "postal_code",
        &[
            "ZIP",
            "Zip Code",
            "Postcode",
            "Billing Zip/Postal Code",
            "Mailing Zip/Postal Code",
            "Zip/Postal Code",
        ],
    ),
    column("at", &[]),
    column("outcome", &[]),
    column("callback_at", &[]),
    column("note", &[]),
    column("disposition", &[]),
];

/// What `[columns]` maps a header to so that it is neither read nor
/// reported: a column that looks like an opt-out flag but means something
/// else (an email opt-out, say).
pub const IGNORE: &str = "ignore";

const fn column(name: &'static str, spellings: &'static [&'static str]) -> Column {
    Column { name, spellings }
}

/// The names of `COLUMNS`, in order.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|c| c.name)
}

/// The three kinds of input a `[columns.<kind>]` table is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Territory,
    History,
    Suppress,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Territory, Kind::History, Kind::Suppress];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Territory => "territory",
            Kind::History => "history",
            Kind::Suppress => "suppress",
        }
    }

    /// The columns an input of this kind reads.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Territory => &[
                "account_id",
                "phone",
                "name",
                "rep",
                "status",
                "opt_out",
                "timezone",
                "priority",
                "last_order",
                "country",
                "state",
                "postal_code",
                "last_inquiry",
                "opt_in",
            ],
            Kind::History => &[
                "account_id",
                "at",
                "outcome",
                "callback_at",
                "rep",
                "note",
                "disposition",
                "phone",
            ],
            Kind::Suppress => &["phone", "account_id"],
        }
    }
}

/// One input file as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// How messages name it: the path as given, or `<stdin>`.
    pub name: Arc<str>,
    path: Option<PathBuf>,
}

impl Input {
    /// `-` means standard input.
    pub fn new(path: &Path) -> Input {
        if path.as_os_str() == "-" {
            Input {
                name: Arc::from("<stdin>"),
                path: None,
            }
        } else {
            let shown = path.display().to_string();
            // A database URI may carry a password: never in a message.
            let name = if crate::pg::uri::is_uri(&shown) {
                crate::pg::uri::redacted(&shown)
            } else {
                shown
            };
            Input {
                name: Arc::from(name),
                path: Some(path.to_path_buf()),
            }
        }
    }

    pub fn is_stdin(&self) -> bool {
        self.path.is_none()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Opens the input for reading. Unbuffered: `CsvReader` reads in large
    /// blocks into its own buffer, and a second buffer would only copy.
    pub fn open(&self) -> Result<Box<dyn Read + Send>> {
        match &self.path {
            None => Ok(Box::new(io::stdin())),
            Some(path) => {
                let file = File::open(path)
                    .with_context(|| format!("{}: cannot open ({})", self.name, open_hint(path)))?;
                Ok(Box::new(file))
            }
        }
    }

    /// About how many rows the input holds, from its size and the rows in
    /// its first 64 KB, at most `MAX_ESTIMATE`; 0 when that cannot be known
    /// (standard input, a file that cannot be read). For sizing tables
    /// before reading.
    pub fn estimate_rows(&self) -> usize {
        const HEAD: usize = 64 * 1024;
        let Some(Ok(mut file)) = self.path.as_ref().map(File::open) else {
            return 0;
        };
        let size = file.metadata().map_or(0, |m| m.len());
        let mut head = vec![0u8; HEAD];
        let mut filled = 0;
        while filled < HEAD {
            match file.read(&mut head[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return 0,
            }
        }
        // The rows whole in the head, and the bytes they take.
        let head = &head[..filled];
        let Some(last) = memchr::memrchr(b'\n', head) else {
            return 0;
        };
        // Blank lines are not rows (and a file padded with them at the
        // start must not look like millions of rows).
        let mut lines = 0u64;
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', head) {
            if !matches!(&head[start..end], b"" | b"\r") {
                lines += 1;
            }
            start = end + 1;
        }
        let taken = last as u64 + 1;
        usize::try_from(size.saturating_mul(lines) / taken).map_or(0, |n| n.min(MAX_ESTIMATE))
    }
}

/// The most rows `Input::estimate_rows` gives. An id table is written
/// whole when made, so an estimate thrown off by an odd start of a file
/// (a run of very short rows) must not cost much; beyond this, tables grow
/// as they are read, as they would with no estimate.
pub const MAX_ESTIMATE: usize = 1 << 22;

fn open_hint(path: &Path) -> &'static str {
    if path.exists() {
        "check its permissions"
    } else {
        "check the path, or the setting in callqueue.toml"
    }
}

/// The error that stops a run at a quoted field across lines or never
/// closed (in the history, a list, or a territory's open quote): the rows
/// it swallowed may hold an opt-out. `check` lists it instead and reads on.
pub fn long_quote_stops(file: &str, line: u64, quote: LongQuote) -> anyhow::Error {
    anyhow::anyhow!(
        "{file}:{line}: {}; nothing is built until it is mended (`callqueue check` lists every problem)",
        quote.message()
    )
}

/// A header (or outcome word) in the form used for matching: trimmed,
/// lower-case, and without spaces, `_` and `-`. docs/inputs.md treats runs of
/// those alike (`Account ID` = `account_id`); dropping them also matches
/// `OptOut` and `Time Zone`, so that a CRM's spelling of the opt-out column
/// is never silently ignored.
pub fn header_key(text: &str) -> String {
    crate::domain::word_key(text)
}

/// The column (from `COLUMNS`) that `text` names, by the column's own name
/// or one of its CRM spellings, if any.
pub fn column_name(text: &str) -> Option<&'static str> {
    COLUMN_KEYS.get(&header_key(text)).copied()
}

/// Each column's name and CRM spellings, in the form headers are matched
/// in, made once: a header row may have a great many cells.
static COLUMN_KEYS: std::sync::LazyLock<HashMap<String, &'static str>> =
    std::sync::LazyLock::new(|| {
        let mut keys = HashMap::new();
        for column in COLUMNS {
            for spelling in std::iter::once(&column.name).chain(column.spellings) {
                // The first column a spelling names keeps it, as the
                // search in `COLUMNS`' order did.
                keys.entry(header_key(spelling)).or_insert(column.name);
            }
        }
        keys
    });

/// Words that make a header look like an opt-out or consent flag, tested
/// against the header as `flag_key` folds it (letters and digits only, lower
/// case). A territory header holding one is read (as opt_out), mapped in
/// `[columns]` (to a column, or to ignore), or it stops the run: a flag that
/// may mean "stop calling" is never silently dropped. Each word is long or
/// odd enough not to turn up inside an ordinary header (`Description`,
/// `Contact Owner`, `Territory`, `Adoption Date` are not flags). Each says
/// which kind of flag it marks.
pub const FLAG_WORDS: &[(&str, Flag)] = &[
    // Opt Out, Opt-Out Flag, OptOut?, SMS Opt Out, Email Opt Out.
    ("optout", Flag::StopCalling),
    // Opted Out, HasOptedOutOfEmail (HubSpot, Salesforce).
    ("optedout", Flag::StopCalling),
    // Opt In, SMS Opt-In: a consent, which may be missing or withdrawn.
    ("optin", Flag::Consent),
    // Opted In.
    ("optedin", Flag::Consent),
    // Consent, Call Consent, TCPA Consent.
    ("consent", Flag::Consent),
    // Unsubscribed, Unsubscribe Date.
    ("unsubscri", Flag::StopCalling),
    // Suppressed, Suppression: a marketing tool's "never contact".
    ("suppress", Flag::StopCalling),
    // DNC, DNC Flag, Internal DNC: the do-not-call abbreviation.
    ("dnc", Flag::StopCalling),
    // Do Not Call, DoNotCall__c (a custom field's API name), Do Not Contact,
    // Do Not Email, Do Not Mail, Do Not Text, Do Not Solicit; not the bare
    // "donot", which "Condo Notes" holds.
    ("donotcall", Flag::StopCalling),
    ("donotcontact", Flag::StopCalling),
    ("donotemail", Flag::StopCalling),
    ("donotmail", Flag::StopCalling),
    ("donottext", Flag::StopCalling),
    ("donotsolicit", Flag::StopCalling),
    // Don't Call, No Call: the same flag in plainer words.
    ("dontcall", Flag::StopCalling),
    ("nocall", Flag::StopCalling),
];

/// What a flag header may say about calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Stop (an opt-out, a do-not-call): read it as opt_out or set it aside.
    StopCalling,
    /// The customer agreed (an opt-in, a consent). callqueue reads no
    /// consent column yet, and read as opt_out its "yes" would mean stop:
    /// only ignore is offered.
    Consent,
}

/// A header as the opt-out test reads it: full-width forms (U+FF01 to
/// U+FF5E) as the ASCII characters they copy, invisible characters (zero-width
/// spaces and joiners, the word joiner, a byte-order mark, a soft hyphen)
/// left out, then letters and digits only, lower case. So `Opt-Out?`,
/// `ｏｐｔ＿ｏｕｔ` and `opt<U+200B>out` all read `optout`.
fn flag_key(text: &str) -> String {
    fold(text)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `text` with full-width ASCII forms made ASCII and invisible characters
/// left out: what a header looks like on screen.
fn fold(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
            )
        })
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            _ => c,
        })
}

/// A header that looks like an opt-out or consent flag but is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadFlag {
    pub header: String,
    /// `Consent` when the header holds only consent words.
    pub flag: Flag,
    /// The header reads as opt_out once full-width and invisible characters
    /// are taken out (`ｏｐｔ＿ｏｕｔ`): a look-alike, perhaps made to slip
    /// past, and so never read as the opt-out column.
    pub disguised: bool,
}

impl UnreadFlag {
    /// What is wrong and what to do, after `FILE:1: `; `config` names the
    /// config file.
    pub fn message(&self, config: &str) -> String {
        let h = &self.header;
        let what = match (self.disguised, self.flag) {
            (true, _) => format!(
                "header {h:?} reads as opt_out only with its invisible or full-width characters taken out, so it is not read; rename it opt_out, or"
            ),
            (false, Flag::StopCalling) => {
                format!("header {h:?} looks like an opt-out or consent flag but is not read;")
            }
            (false, Flag::Consent) => {
                format!("header {h:?} looks like a consent flag, which callqueue does not read;")
            }
        };
        format!(
            "{what} say what it is in [columns] of {config}: {}",
            self.fix()
        )
    }

    /// The mappings that would settle it, as examples.
    fn fix(&self) -> String {
        let h = &self.header;
        match self.flag {
            Flag::StopCalling => {
                format!("a column ({h:?} = \"opt_out\") or ignore ({h:?} = \"ignore\")")
            }
            Flag::Consent => format!("ignore ({h:?} = \"ignore\"), or the column it holds"),
        }
    }

    /// One message for all the flags of a file: each header named, and
    /// what to do (shown for the first that may say stop, else the first).
    pub fn message_for_all(flags: &[UnreadFlag], config: &str) -> String {
        let [first, rest @ ..] = flags else {
            return String::new();
        };
        let Some((last, between)) = rest.split_last() else {
            return first.message(config);
        };
        let mut names = format!("{:?}", first.header);
        for flag in between {
            names.push_str(&format!(", {:?}", flag.header));
        }
        let example = flags
            .iter()
            .find(|f| f.flag == Flag::StopCalling)
            .unwrap_or(first);
        format!(
            "headers {names} and {:?} look like opt-out or consent flags but are not read; say what each is in [columns] of {config}: {}",
            last.header,
            example.fix()
        )
    }
}

/// The headers of a territory that look like opt-out or consent flags
/// (hold one of `FLAG_WORDS` once folded by `flag_key`) but are neither a
/// column's spelling nor mapped in `[columns]`, in file order. Header work,
/// done once a file.
pub fn unread_flags(
    headers: &[String],
    aliases: &HashMap<String, &'static str>,
) -> Vec<UnreadFlag> {
    unread(headers, aliases)
        .filter_map(|h| {
            let key = flag_key(h);
            let mut flags = FLAG_WORDS
                .iter()
                .filter(|(word, _)| key.contains(word))
                .map(|&(_, flag)| flag);
            let first = flags.next()?;
            // A header that may say stop is a stop flag, whatever else it says.
            let flag = if first == Flag::StopCalling || flags.any(|f| f == Flag::StopCalling) {
                Flag::StopCalling
            } else {
                Flag::Consent
            };
            Some(UnreadFlag {
                header: h.clone(),
                flag,
                disguised: column_on_screen(h) == Some("opt_out"),
            })
        })
        .collect()
}

/// The headers that are neither a column's spelling nor mapped in
/// `[columns]`: not read.
fn unread<'a>(
    headers: &'a [String],
    aliases: &'a HashMap<String, &'static str>,
) -> impl Iterator<Item = &'a String> {
    headers
        .iter()
        .filter(|h| column_name(h).is_none() && !aliases.contains_key(&header_key(h)))
}

/// The column a header names as it looks on screen (`fold`).
fn column_on_screen(header: &str) -> Option<&'static str> {
    column_name(&fold(header).collect::<String>())
}

/// The headers that read as one of `columns` only once invisible or
/// full-width characters are taken out (`ph<U+200B>one`, a second
/// byte-order mark): look-alikes that are not read, so a do-not-call
/// list's entries under them would protect no one. Each with the column
/// it copies.
pub fn disguised_columns(
    headers: &[String],
    aliases: &HashMap<String, &'static str>,
    columns: &[&str],
) -> Vec<(String, &'static str)> {
    unread(headers, aliases)
        .filter_map(|h| {
            let name = column_on_screen(h)?;
            columns.contains(&name).then(|| (h.clone(), name))
        })
        .collect()
}

/// Which field holds which column, for one file.
#[derive(Debug, Clone)]
pub struct Columns {
    found: HashMap<&'static str, usize>,
    /// The `--keep` columns, in the order asked for.
    pub keep: Vec<usize>,
    /// How many fields the header row has.
    pub width: usize,
    /// Headers that name nothing callqueue reads (and are not mapped to
    /// ignore).
    pub unused: Vec<String>,
}

impl Columns {
    pub fn get(&self, name: &str) -> Option<usize> {
        self.found.get(name).copied()
    }

    pub fn has(&self, name: &str) -> bool {
        self.found.contains_key(name)
    }
}

/// What a file's header must and may hold.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    pub required: &'a [&'static str],
    pub optional: &'a [&'static str],
    /// `--keep` names (territory only).
    pub keep: &'a [String],
}

/// Matches `headers` to column names. Two headers for one column, and a
/// missing required column, are errors that name the file.
pub fn match_columns(
    file: &str,
    headers: &[String],
    wanted: Wanted<'_>,
    aliases: &HashMap<String, &'static str>,
) -> Result<Columns> {
    let mut found: HashMap<&'static str, usize> = HashMap::new();
    let mut keep_found: Vec<Option<usize>> = vec![None; wanted.keep.len()];
    let mut unused = Vec::new();
    let text = |i: usize| headers[i].clone();
    for i in 0..headers.len() {
        let raw = text(i);
        let key = header_key(&raw);
        let name = aliases.get(&key).copied().or_else(|| column_name(&raw));
        let mut used = false;
        for (k, keep) in wanted.keep.iter().enumerate() {
            if header_key(keep) == key {
                if let Some(j) = keep_found[k] {
                    bail!(
                        "{file}:1: headers {:?} and {raw:?} both match --keep {keep:?}; rename one",
                        text(j)
                    );
                }
                keep_found[k] = Some(i);
                used = true;
            }
        }
        match name {
            Some(IGNORE) => {}
            Some(name) if wanted.required.contains(&name) || wanted.optional.contains(&name) => {
                if let Some(&j) = found.get(name) {
                    bail!(
                        "{file}:1: headers {:?} and {raw:?} both name the {name} column; rename or remove one",
                        text(j)
                    );
                }
                found.insert(name, i);
            }
            _ if !used => unused.push(raw),
            _ => {}
        }
    }
    for &name in wanted.required {
        if !found.contains_key(name) {
            bail!(
                "{file}: has no {name} column (its headers are: {}); {}",
                header_list(headers),
                missing_column_hint(headers)
            );
        }
    }
    let mut keep = Vec::with_capacity(wanted.keep.len());
    for (k, idx) in keep_found.into_iter().enumerate() {
        match idx {
            Some(i) => keep.push(i),
            None => bail!(
                "{file}: has no column {:?} to --keep (check the spelling)",
                wanted.keep[k]
            ),
        }
    }
    Ok(Columns {
        found,
        keep,
        width: headers.len(),
        unused,
    })
}

/// The headers, for a message: escaped, and at most twenty of them.
pub fn header_list(headers: &[String]) -> String {
    if headers.is_empty() {
        return "none".to_owned();
    }
    let mut shown: Vec<String> = headers
        .iter()
        .take(20)
        .map(|h| {
            let short: String = h.chars().take(40).collect();
            if short.chars().all(|c| !c.is_control()) && short == *h {
                short
            } else {
                format!("{short:?}")
            }
        })
        .collect();
    if headers.len() > 20 {
        shown.push(format!("and {} more", headers.len() - 20));
    }
    shown.join(", ")
}

/// What to do about a missing column: most often, another delimiter.
fn missing_column_hint(headers: &[String]) -> String {
    if let [only] = headers
        && only.chars().all(|c| !c.is_control() || c == '\t')
    {
        for (c, name) in [(';', ";"), ('\t', "tab"), ('|', "|")] {
            if only.contains(c) {
                return format!("the file looks {name}-separated: pass --delimiter '{name}'");
            }
        }
    }
    "add it, or name the header in [columns] of callqueue.toml".to_owned()
}

/// Reads the header row, with the file named in any error.
pub fn read_headers<R: Read>(file: &str, reader: &mut CsvReader<R>) -> Result<Vec<String>> {
    let mut row = Row::default();
    if !reader.read(&mut row).map_err(|e| read_error(file, &e))? {
        bail!("{file}: is empty; it needs a header row");
    }
    let headers: Vec<String> = row
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        bail!("{file}:{}: the header row is blank", row.line);
    }
    Ok(headers)
}

/// The next record, with the file named in any error.
pub fn next_row<R: Read>(file: &str, reader: &mut CsvReader<R>, row: &mut Row) -> Result<bool> {
    reader.read(row).map_err(|e| read_error(file, &e))
}

fn read_error(file: &str, err: &io::Error) -> anyhow::Error {
    anyhow::Error::new(io::Error::new(err.kind(), err.to_string()))
        .context(format!("{file}: cannot be read"))
}

/// A field as trimmed UTF-8 text, or `None` when it is not valid UTF-8.
pub fn text(field: &[u8]) -> Option<&str> {
    std::str::from_utf8(field.trim_ascii()).ok()
}

/// A field for a message: lossy, shortened to a readable length.
pub fn shown(field: &[u8]) -> String {
    let text = String::from_utf8_lossy(field.trim_ascii());
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| (*f).to_owned()).collect()
    }

    #[test]
    fn rows_are_estimated_from_the_size_and_the_first_rows() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, rows: usize| {
            let path = dir.path().join(name);
            let line = "AC00000001,Kestrel Salon,(320) 200-0001,Bob\n";
            std::fs::write(&path, line.repeat(rows)).unwrap();
            Input::new(&path)
        };
        // Read whole: exact.
        assert_eq!(write("small.csv", 10).estimate_rows(), 10);
        assert_eq!(write("empty.csv", 0).estimate_rows(), 0);
        // Larger than the 64 KB looked at: scaled, here exactly (even rows).
        assert_eq!(write("large.csv", 100_000).estimate_rows(), 100_000);
        // Blank lines are not counted, however many: one row in the first
        // 64 KB, scaled to the file's 8 MB.
        let blank = dir.path().join("blank.csv");
        std::fs::write(&blank, format!("a,b\n{}", "\r\n".repeat(4_000_000))).unwrap();
        assert_eq!(Input::new(&blank).estimate_rows(), 122);
        // A file whose start is all short rows is capped.
        let short = dir.path().join("short.csv");
        std::fs::write(&short, "a\n".repeat(MAX_ESTIMATE + 1000)).unwrap();
        assert_eq!(Input::new(&short).estimate_rows(), MAX_ESTIMATE);
        // Nothing to go on.
        assert_eq!(Input::new(Path::new("-")).estimate_rows(), 0);
        assert_eq!(
            Input::new(&dir.path().join("missing.csv")).estimate_rows(),
            0
        );
    }

    const WANT: Wanted<'static> = Wanted {
        required: &["account_id", "phone"],
        optional: &["name", "opt_out"],
        keep: &[],
    };

    #[test]
    fn header_keys_ignore_case_spaces_underscores_and_dashes() {
        for h in [
            "Account ID",
            "account_id",
            "account-id",
            " ACCOUNT  ID ",
            "account _-id",
            "AccountId",
        ] {
            assert_eq!(column_name(h), Some("account_id"), "{h:?}");
        }
        assert_eq!(column_name("Opt-Out"), Some("opt_out"));
        assert_eq!(column_name("OptOut"), Some("opt_out"));
        assert_eq!(column_name("Time Zone"), Some("timezone"));
        assert_eq!(column_name("Callback At"), Some("callback_at"));
        assert_eq!(column_name("account"), None);
        assert_eq!(header_key("No Answer"), header_key("no-answer"));
    }

    #[test]
    fn crm_opt_out_spellings_read_as_opt_out() {
        for h in [
            "Do Not Call",
            "DoNotCall",
            "DNC",
            "Opted Out",
            "Opt Out",
            "do_not_call",
            " dnc ",
            "OPTED-OUT",
        ] {
            assert_eq!(column_name(h), Some("opt_out"), "{h:?}");
        }
        let h = record(&["Account ID", "Phone", "Do Not Call"]);
        let c = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap();
        assert_eq!(c.get("opt_out"), Some(2));
        // The opt_in column is read, not flagged.
        assert_eq!(column_name("Opt In"), Some("opt_in"));
        // A sales region is not a state, nor anything else read.
        for h in ["Region", "Territory", "Do Not Call Reason", "DNC Flag"] {
            assert_eq!(column_name(h), None, "{h:?}");
        }
    }

    #[test]
    fn no_spelling_names_two_columns() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for c in COLUMNS {
            for spelling in std::iter::once(&c.name).chain(c.spellings) {
                if let Some(other) = seen.insert(header_key(spelling), c.name) {
                    assert_eq!(other, c.name, "{spelling:?} names {other} and {}", c.name);
                }
            }
        }
    }

    #[test]
    fn two_crm_opt_out_headers_are_an_error() {
        let h = record(&["account_id", "phone", "Opt Out", "DNC"]);
        let e = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap_err();
        assert!(
            e.to_string()
                .contains("headers \"Opt Out\" and \"DNC\" both name the opt_out column"),
            "{e}"
        );
    }

    fn flagged(headers: &[&str]) -> Vec<UnreadFlag> {
        unread_flags(&record(headers), &HashMap::new())
    }

    #[test]
    fn headers_that_look_like_opt_out_or_consent_flags_are_flagged() {
        for h in [
            "Unsubscribed",
            "Opt-Out Flag",
            "OptOut?",
            "Opt.Out",
            "SMS Opt Out",
            "Email Opt Out",
            "EmailOptOut",
            "Do Not Email",
            "HasOptedOutOfEmail",
            "DoNotCall__c",
            "Do Not Call Reason",
            "DNC Flag",
            "SMS Opt-In",
            "Opted In",
            "Consent",
            "TCPA Consent",
            "Do Not Contact",
            "Do Not Mail",
            "Do Not Text",
            "Don't Call",
            "No Call",
            "Suppressed",
        ] {
            let consent = ["SMS Opt-In", "Opted In", "Consent", "TCPA Consent"];
            let flag = if consent.contains(&h) {
                Flag::Consent
            } else {
                Flag::StopCalling
            };
            assert_eq!(
                flagged(&[h]),
                [UnreadFlag {
                    header: h.to_owned(),
                    flag,
                    disguised: false
                }],
                "{h:?}"
            );
        }
    }

    #[test]
    fn opt_out_written_with_invisible_or_full_width_characters_is_flagged_not_read() {
        let mut disguised: Vec<String> = [
            "\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{ad}",
        ]
        .iter()
        .map(|c| format!("opt{c}_out"))
        .collect();
        disguised.extend(
            [
                "\u{ff4f}\u{ff50}\u{ff54}\u{ff3f}\u{ff4f}\u{ff55}\u{ff54}",
                "\u{ff24}\u{ff2e}\u{ff23}",
                "Do\u{200b}Not\u{200b}Call",
                "\u{ff24}o Not Call",
                "D\u{feff}NC",
                "Opted\u{00ad}Out",
            ]
            .map(str::to_owned),
        );
        for h in &disguised {
            assert_eq!(column_name(h), None, "{h:?} is read");
            assert_eq!(
                unread_flags(std::slice::from_ref(h), &HashMap::new()),
                [UnreadFlag {
                    header: h.clone(),
                    flag: Flag::StopCalling,
                    disguised: true
                }],
                "{h:?}"
            );
        }
        // An invisible character inside another word is still a flag word.
        assert_eq!(flagged(&["SMS Opt\u{200b}Out"]).len(), 1);
        assert!(!flagged(&["SMS Opt\u{200b}Out"])[0].disguised);
    }

    #[test]
    fn ordinary_headers_are_not_flagged() {
        let ordinary = [
            "Account ID",
            "Phone",
            "Description",
            "Territory",
            "Contact Owner",
            "Region",
            "Account Name",
            "Billing State/Province",
            "Adoption Date",
            "Options",
            "Condo Notes",
            "Abandon Time",
            "Second Contact",
            "Brand Name",
            "Desktop Inventory",
            "Script Info",
            "Last Contacted",
            "Subscription Tier",
            "Notes",
            "",
        ];
        assert_eq!(flagged(&ordinary), []);
    }

    #[test]
    fn columns_read_or_mapped_are_not_flagged() {
        // Read as opt_out: the column's spellings.
        assert_eq!(
            flagged(&[
                "Do Not Call",
                "DoNotCall",
                "DNC",
                "Opted Out",
                "Opt Out",
                "opt_out"
            ]),
            []
        );
        let aliases = HashMap::from([
            (header_key("Email Opt Out"), IGNORE),
            (header_key("SMS Opt Out"), "opt_out"),
        ]);
        let h = record(&["email-opt-out", "SMS OPT OUT", "Unsubscribed"]);
        assert_eq!(
            unread_flags(&h, &aliases),
            [UnreadFlag {
                header: "Unsubscribed".to_owned(),
                flag: Flag::StopCalling,
                disguised: false
            }]
        );
    }

    #[test]
    fn an_unread_flag_says_what_to_do() {
        let flags = flagged(&["SMS Opt Out", "Consent", "Phone", "opt\u{200b}out"]);
        assert_eq!(
            flags[0].message("cq.toml"),
            "header \"SMS Opt Out\" looks like an opt-out or consent flag but is not read; \
             say what it is in [columns] of cq.toml: a column (\"SMS Opt Out\" = \"opt_out\") \
             or ignore (\"SMS Opt Out\" = \"ignore\")"
        );
        assert_eq!(
            flags[2].message("cq.toml"),
            "header \"opt\\u{200b}out\" reads as opt_out only with its invisible or full-width \
             characters taken out, so it is not read; rename it opt_out, or say what it is in \
             [columns] of cq.toml: a column (\"opt\\u{200b}out\" = \"opt_out\") or ignore \
             (\"opt\\u{200b}out\" = \"ignore\")"
        );
        // A consent is not offered as opt_out: its "yes" would read as stop.
        assert_eq!(
            flags[1].message("cq.toml"),
            "header \"Consent\" looks like a consent flag, which callqueue does not read; \
             say what it is in [columns] of cq.toml: ignore (\"Consent\" = \"ignore\"), or the \
             column it holds"
        );
        assert!(
            UnreadFlag::message_for_all(&flags[1..], "c")
                .ends_with("a column (\"opt\\u{200b}out\" = \"opt_out\") or ignore (\"opt\\u{200b}out\" = \"ignore\")")
        );
        // Words of both kinds: it may say stop.
        assert_eq!(flagged(&["Opt In/Opt Out"])[0].flag, Flag::StopCalling);
        assert_eq!(
            UnreadFlag::message_for_all(&flags[..1], "c"),
            flags[0].message("c")
        );
        assert!(
            UnreadFlag::message_for_all(&flags, "c").starts_with(
                "headers \"SMS Opt Out\", \"Consent\" and \"opt\\u{200b}out\" look like opt-out or consent flags but are not read; say what each is"
            ),
            "{}",
            UnreadFlag::message_for_all(&flags, "c")
        );
    }

    #[test]
    fn columns_match_forgivingly() {
        let h = record(&["Account ID", "Phone", "Full Name", "opt-out"]);
        let c = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap();
        assert_eq!(c.get("account_id"), Some(0));
        assert_eq!(c.get("phone"), Some(1));
        assert_eq!(c.get("opt_out"), Some(3));
        assert_eq!(c.get("name"), None);
        assert_eq!(c.unused, vec!["Full Name".to_owned()]);
    }

    #[test]
    fn aliases_map_other_headers() {
        let h = record(&["Account Number", "Phone"]);
        let aliases = HashMap::from([(header_key("account number"), "account_id")]);
        let c = match_columns("t.csv", &h, WANT, &aliases).unwrap();
        assert_eq!(c.get("account_id"), Some(0));
    }

    #[test]
    fn a_header_mapped_to_ignore_is_neither_read_nor_unused() {
        let h = record(&["account_id", "phone", "Email Opt Out", "Notes"]);
        let aliases = HashMap::from([(header_key("email opt-out"), IGNORE)]);
        let c = match_columns("t.csv", &h, WANT, &aliases).unwrap();
        assert_eq!(c.get("opt_out"), None);
        assert_eq!(c.unused, vec!["Notes".to_owned()]);
    }

    #[test]
    fn two_headers_for_one_column_are_an_error() {
        let h = record(&["account_id", "Account ID", "phone"]);
        let e = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap_err();
        assert!(
            e.to_string().contains("both name the account_id column"),
            "{e}"
        );
    }

    #[test]
    fn missing_required_column_names_the_file() {
        let h = record(&["id", "phone"]);
        let e = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap_err();
        let e = e.to_string();
        assert!(e.starts_with("t.csv: has no account_id column"), "{e}");
        assert!(e.contains("id, phone"), "{e}");
    }

    #[test]
    fn keep_columns_are_found_or_refused() {
        let keep = vec!["Region".to_owned()];
        let want = Wanted {
            keep: &keep,
            ..WANT
        };
        let h = record(&["account_id", "phone", "region"]);
        let c = match_columns("t.csv", &h, want, &HashMap::new()).unwrap();
        assert_eq!(c.keep, vec![2]);
        let h = record(&["account_id", "phone"]);
        assert!(match_columns("t.csv", &h, want, &HashMap::new()).is_err());
    }
}
