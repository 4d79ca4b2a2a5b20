//! Users from a spreadsheet: finds the header row (which need not be the
//! first), maps columns to fields by an explicit mapping or by common header
//! names, and validates each row on its own and against earlier rows. What
//! needs the database (teams, channels, existing accounts) is left to the
//! server.

use std::collections::{BTreeMap, HashMap};

use hearth_api::{ImportColumn, ImportIssue, ImportIssueCode, Role};
use hearth_core::validate;

use crate::cells::SheetLimits;
use crate::error::{ImportError, Result};
use crate::sheet::{self, Cell, SheetFormat, SheetRow};

/// Rows searched for the header before giving up.
const HEADER_SEARCH_ROWS: usize = 20;

/// The fields a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Username,
    Email,
    DisplayName,
    FirstName,
    LastName,
    Role,
    Teams,
    Channels,
    StartDate,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Username,
        Field::Email,
        Field::DisplayName,
        Field::FirstName,
        Field::LastName,
        Field::Role,
        Field::Teams,
        Field::Channels,
        Field::StartDate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Username => "username",
            Field::Email => "email",
            Field::DisplayName => "display_name",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Role => "role",
            Field::Teams => "teams",
            Field::Channels => "channels",
            Field::StartDate => "start_date",
        }
    }

    fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Header names (normalised: lowercase letters and digits only) that mean
    /// this field when no mapping says otherwise.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Username => &[
                "username",
                "user",
                "login",
                "loginname",
                "handle",
                "account",
            ],
            Field::Email => &["email", "emailaddress", "mail", "workemail", "mailaddress"],
            Field::DisplayName => &["displayname", "name", "fullname", "nickname"],
            Field::FirstName => &["firstname", "givenname", "first", "forename"],
            Field::LastName => &["lastname", "surname", "familyname", "last"],
            Field::Role => &["role", "systemrole", "accounttype", "type"],
            Field::Teams => &["teams", "team"],
            Field::Channels => &["channels", "channel"],
            Field::StartDate => &["startdate", "start", "hiredate", "joindate", "joined"],
        }
    }
}

/// Lowercase letters and digits only, so `E-mail Address ` matches `emailaddress`.
fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A column mapping given by the caller: field name → header as written.
pub type Mapping = BTreeMap<String, String>;

/// Parses the JSON mapping of the query string, checking the field names.
pub fn parse_mapping(json: &str) -> Result<Mapping> {
    let m: Mapping = serde_json::from_str(json).map_err(|e| {
        ImportError::Invalid(format!("the mapping is not a JSON object of strings: {e}"))
    })?;
    for k in m.keys() {
        if Field::parse(k).is_none() {
            let known: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
            return Err(ImportError::Invalid(format!(
                "unknown field '{k}' in the mapping (known: {})",
                known.join(", ")
            )));
        }
    }
    Ok(m)
}

/// One spreadsheet row after validation. Values are normalised (trimmed,
/// lower-cased where the server compares lower-case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// The row number as the spreadsheet shows it.
    pub row: u32,
    pub email: Option<String>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    /// None keeps an existing account's role (and makes new ones users).
    pub role: Option<Role>,
    pub teams: Vec<String>,
    /// `(team, channel)` names.
    pub channels: Vec<(String, String)>,
    pub start_date: Option<String>,
    pub errors: Vec<ImportIssue>,
}

/// A parsed user spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSheet {
    pub format: SheetFormat,
    pub header_row: u32,
    pub columns: Vec<ImportColumn>,
    pub records: Vec<UserRecord>,
}

/// Reads and validates a user spreadsheet. `format` None sniffs the content.
pub fn parse(bytes: &[u8], format: Option<SheetFormat>, mapping: &Mapping) -> Result<UserSheet> {
    parse_with(bytes, format, mapping, &SheetLimits::default())
}

/// [`parse`] within explicit bounds on cells and unpacked bytes.
pub fn parse_with(
    bytes: &[u8],
    format: Option<SheetFormat>,
    mapping: &Mapping,
    limits: &SheetLimits,
) -> Result<UserSheet> {
    let format = format.unwrap_or_else(|| SheetFormat::sniff(bytes));
    let rows = sheet::read_with(bytes, format, limits)?;
    parse_rows(&rows, format, mapping)
}

/// Validates rows already read (the server reads them in a child process).
pub fn parse_rows(rows: &[SheetRow], format: SheetFormat, mapping: &Mapping) -> Result<UserSheet> {
    let (header_idx, columns) = find_header(rows, mapping)?;
    let header = &rows[header_idx];
    let header_name = |col: usize| header.cells.get(col).map(Cell::text).unwrap_or_default();
    let mut seen_email: HashMap<String, u32> = HashMap::new();
    let mut seen_username: HashMap<String, u32> = HashMap::new();
    let mut records = Vec::new();
    for row in &rows[header_idx + 1..] {
        let mut rec = parse_row(row, &columns, &header_name);
        if let Some(e) = &rec.email {
            if let Some(first) = seen_email.get(e) {
                rec.errors.push(issue(
                    ImportIssueCode::DuplicateEmail,
                    format!("the e-mail '{e}' is also on row {first}"),
                    columns.get(&Field::Email).map(|c| header_name(*c)),
                ));
            } else {
                seen_email.insert(e.clone(), row.number);
            }
        }
        if let Some(u) = &rec.username {
            if let Some(first) = seen_username.get(u) {
                rec.errors.push(issue(
                    ImportIssueCode::DuplicateUsername,
                    format!("the username '{u}' is also on row {first}"),
                    columns.get(&Field::Username).map(|c| header_name(*c)),
                ));
            } else {
                seen_username.insert(u.clone(), row.number);
            }
        }
        records.push(rec);
    }
    let mut cols: Vec<(Field, usize)> = columns.into_iter().collect();
    cols.sort();
    Ok(UserSheet {
        format,
        header_row: header.number,
        columns: cols
            .into_iter()
            .map(|(f, c)| ImportColumn {
                field: f.as_str().into(),
                header: header_name(c),
            })
            .collect(),
        records,
    })
}

fn issue(code: ImportIssueCode, message: String, column: Option<String>) -> ImportIssue {
    ImportIssue {
        code,
        message,
        column,
    }
}

/// The header row and its field → column index map. With a mapping, the
/// header is the first row holding every mapped header; otherwise the first
/// row whose headers name an e-mail column and at least one other field.
fn find_header(rows: &[SheetRow], mapping: &Mapping) -> Result<(usize, HashMap<Field, usize>)> {
    let wanted: HashMap<Field, String> = mapping
        .iter()
        .filter_map(|(k, v)| Some((Field::parse(k)?, normalise(v))))
        .collect();
    for (i, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let names: Vec<String> = row.cells.iter().map(|c| normalise(&c.text())).collect();
        let mut columns: HashMap<Field, usize> = HashMap::new();
        let mut all_mapped = true;
        for (field, header) in &wanted {
            match names.iter().position(|n| n == header) {
                Some(c) => {
                    columns.insert(*field, c);
                }
                None => all_mapped = false,
            }
        }
        if !all_mapped {
            continue;
        }
        for field in Field::ALL {
            if columns.contains_key(&field) {
                continue;
            }
            let taken: Vec<usize> = columns.values().copied().collect();
            if let Some(c) = names
                .iter()
                .enumerate()
                .position(|(c, n)| !taken.contains(&c) && field.synonyms().contains(&n.as_str()))
            {
                columns.insert(field, c);
            }
        }
        if columns.contains_key(&Field::Email) && columns.len() >= 2 {
            return Ok((i, columns));
        }
    }
    Err(ImportError::Invalid(if wanted.is_empty() {
        format!(
            "no header row with an e-mail column and one more known column in the first {HEADER_SEARCH_ROWS} rows; pass a mapping"
        )
    } else {
        format!(
            "no row in the first {HEADER_SEARCH_ROWS} holds every mapped header and an e-mail column"
        )
    }))
}

fn parse_row(
    row: &SheetRow,
    columns: &HashMap<Field, usize>,
    header_name: &dyn Fn(usize) -> String,
) -> UserRecord {
    let get = |f: Field| -> Option<&Cell> { columns.get(&f).and_then(|c| row.cells.get(*c)) };
    let text = |f: Field| get(f).map(Cell::text).filter(|s| !s.is_empty());
    let col = |f: Field| columns.get(&f).map(|c| header_name(*c));
    let mut errors = Vec::new();

    let email = match text(Field::Email) {
        None => {
            errors.push(issue(
                ImportIssueCode::MissingValue,
                "the e-mail is empty".into(),
                col(Field::Email),
            ));
            None
        }
        Some(raw) => match validate::email(&raw) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.push(issue(
                    ImportIssueCode::InvalidEmail,
                    e.to_string(),
                    col(Field::Email),
                ));
                None
            }
        },
    };
    let username = match text(Field::Username) {
        Some(raw) => check_username(&raw, col(Field::Username), &mut errors),
        None => email.as_deref().and_then(|e| {
            let derived = username_from_email(e);
            check_username(&derived, col(Field::Email), &mut errors)
        }),
    };
    let display = text(Field::DisplayName).or_else(|| {
        let parts: Vec<String> = [text(Field::FirstName), text(Field::LastName)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    let display_name = display.and_then(|d| match validate::display_name(&d) {
        Ok(d) => Some(d),
        Err(e) => {
            let c = col(Field::DisplayName).or_else(|| col(Field::FirstName));
            errors.push(issue(ImportIssueCode::InvalidDisplayName, e.to_string(), c));
            None
        }
    });
    let role = text(Field::Role).and_then(|r| match parse_role(&r) {
        Some(role) => Some(role),
        None => {
            errors.push(issue(
                ImportIssueCode::InvalidRole,
                format!("'{r}' is not a role (user, guest or system_admin)"),
                col(Field::Role),
            ));
            None
        }
    });
    let mut teams: Vec<String> = text(Field::Teams)
        .map(|t| split_list(&t).map(str::to_lowercase).collect())
        .unwrap_or_default();
    let mut channels = Vec::new();
    for spec in text(Field::Channels)
        .as_deref()
        .map(split_list)
        .into_iter()
        .flatten()
    {
        match spec.split_once(['/', ':']) {
            Some((t, c))
                if !t.trim().is_empty() && !c.trim().is_empty() && !c.contains(['/', ':']) =>
            {
                let t = t.trim().to_lowercase();
                let c = c.trim().trim_start_matches('#').to_lowercase();
                if !teams.contains(&t) {
                    teams.push(t.clone());
                }
                if !channels.contains(&(t.clone(), c.clone())) {
                    channels.push((t, c));
                }
            }
            _ => errors.push(issue(
                ImportIssueCode::InvalidChannel,
                format!("'{spec}' is not written team/channel or team:channel"),
                col(Field::Channels),
            )),
        }
    }
    teams.dedup();
    let start_date = get(Field::StartDate)
        .filter(|c| !c.is_empty())
        .and_then(|c| match date_of(c) {
            Some(d) => Some(d),
            None => {
                errors.push(issue(
                    ImportIssueCode::InvalidDate,
                    format!("'{}' is not a date", c.text()),
                    col(Field::StartDate),
                ));
                None
            }
        });
    UserRecord {
        row: row.number,
        email,
        username,
        display_name,
        role,
        teams,
        channels,
        start_date,
        errors,
    }
}

fn check_username(
    raw: &str,
    column: Option<String>,
    errors: &mut Vec<ImportIssue>,
) -> Option<String> {
    match validate::username(raw) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.push(issue(
                ImportIssueCode::InvalidUsername,
                e.to_string(),
                column,
            ));
            None
        }
    }
}

/// A username for rows without one: the e-mail's local part, with characters
/// usernames do not allow turned into `.`, cut to the maximum length.
pub fn username_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or("");
    local
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '.'
            }
        })
        .take(22)
        .collect()
}

fn parse_role(raw: &str) -> Option<Role> {
    match normalise(raw).as_str() {
        "user" | "member" | "regular" | "systemuser" => Some(Role::User),
        "guest" | "systemguest" => Some(Role::Guest),
        "systemadmin" | "admin" | "administrator" | "sysadmin" => Some(Role::SystemAdmin),
        _ => None,
    }
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// A date cell as `YYYY-MM-DD`: date-formatted cells and bare serial numbers
/// are converted; text must already be ISO (other orders are ambiguous).
fn date_of(c: &Cell) -> Option<String> {
    match c {
        Cell::Date(n) | Cell::Number(n) => sheet::serial_to_iso_date(*n),
        Cell::IsoDate(s) => iso_prefix(s),
        Cell::Text(s) => {
            let s = s.trim();
            match s.parse::<f64>() {
                Ok(n) => sheet::serial_to_iso_date(n),
                Err(_) => iso_prefix(s),
            }
        }
        Cell::Empty => None,
    }
}

fn iso_prefix(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ok = digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10);
    let month: u32 = d[5..7].parse().ok()?;
    let day: u32 = d[8..10].parse().ok()?;
    (ok && (1..=12).contains(&month) && (1..=31).contains(&day)).then(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> UserSheet {
        parse(text.as_bytes(), Some(SheetFormat::Csv), &Mapping::new()).expect("parses")
    }

    #[test]
    fn headers_are_found_below_a_title_and_matched_by_synonym() {
        let s =
            csv("Staff list,,\n\n E-Mail Address ,Login,Full Name\nann@example.com,ann,Ann A\n");
        assert_eq!(s.header_row, 3);
        let fields: Vec<&str> = s.columns.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["username", "email", "display_name"]);
        assert_eq!(s.records[0].row, 4);
        assert_eq!(s.records[0].username.as_deref(), Some("ann"));
        assert!(s.records[0].errors.is_empty());
    }

    #[test]
    fn an_explicit_mapping_wins_over_synonyms() {
        let mut m = Mapping::new();
        m.insert("email".into(), "Contact".into());
        m.insert("username".into(), "Handle X".into());
        let s = parse(
            b"email,Contact,Handle X\nnot-used,bob@example.com,bobby\n",
            Some(SheetFormat::Csv),
            &m,
        )
        .expect("parses");
        assert_eq!(s.records[0].email.as_deref(), Some("bob@example.com"));
        assert_eq!(s.records[0].username.as_deref(), Some("bobby"));
        assert!(parse_mapping(r#"{"mail":"x"}"#).is_err());
        m.insert("role".into(), "Missing".into());
        assert!(parse(b"Contact,Handle X\n", Some(SheetFormat::Csv), &m).is_err());
    }

    #[test]
    fn messy_rows_are_reported_with_codes_and_columns() {
        let s = csv(
            "Email,Username,First name,Last name,Role,Channels,Start date\n\
             ann@example.com ,  Ann ,Ann,Smith,Admin,sales/leads; sales:deals,45352\n\
             broken-at-example.com,bob,,,user,,2024-02-30\n\
             ann@example.com,ann2,,,guest,nochannel,not a date\n\
             cy@example.com,ANN,,,boss,,\n",
        );
        let r = &s.records;
        assert_eq!(r[0].email.as_deref(), Some("ann@example.com"));
        assert_eq!(r[0].display_name.as_deref(), Some("Ann Smith"));
        assert_eq!(r[0].role, Some(Role::SystemAdmin));
        assert_eq!(r[0].teams, vec!["sales".to_string()]);
        assert_eq!(r[0].channels.len(), 2);
        assert_eq!(r[0].start_date.as_deref(), Some("2024-03-01"));
        let codes =
            |i: usize| -> Vec<ImportIssueCode> { r[i].errors.iter().map(|e| e.code).collect() };
        assert!(codes(0).is_empty());
        assert_eq!(codes(1), vec![ImportIssueCode::InvalidEmail]);
        assert_eq!(r[1].errors[0].column.as_deref(), Some("Email"));
        assert_eq!(
            codes(2),
            vec![
                ImportIssueCode::InvalidChannel,
                ImportIssueCode::InvalidDate,
                ImportIssueCode::DuplicateEmail
            ]
        );
        assert!(r[2].errors[2].message.contains("row 2"));
        assert_eq!(
            codes(3),
            vec![
                ImportIssueCode::InvalidRole,
                ImportIssueCode::DuplicateUsername
            ]
        );
    }

    #[test]
    fn usernames_are_derived_from_the_email_when_absent() {
        let s = csv("email,name\nJane.Doe+x@example.com,Jane\n");
        assert_eq!(s.records[0].username.as_deref(), Some("jane.doe.x"));
    }

    #[test]
    fn a_file_without_an_email_column_is_refused() {
        let e = parse(
            b"name,team\nann,sales\n",
            Some(SheetFormat::Csv),
            &Mapping::new(),
        );
        assert!(matches!(e, Err(ImportError::Invalid(_))));
    }
}
