//! The ODS side of [`super`]: `content.xml` read as a stream of events.
//! Repetitions are counted against the cell budget before they are
//! expanded, and empty ones only move the position.

use quick_xml::events::{BytesStart, Event};

use super::{CellBudget, Emit, Sheets, unreadable};
use crate::error::Result;
use crate::sheet::Cell;

/// Reads `content.xml` of an ODS document. Repetitions
/// (`number-rows-repeated`, `number-columns-repeated`) are counted against
/// the budget before they are expanded; empty repeated cells and rows only
/// move the position.
pub(super) fn cells(
    xml: &[u8],
    sheets: Sheets,
    budget: &mut CellBudget,
    emit: &mut Emit<'_>,
) -> Result<()> {
    let bad = |e: &dyn std::fmt::Display| unreadable("ods", e);
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut sheet: Option<usize> = None;
    let mut next_sheet = 0usize;
    let mut row = 0u32;
    let mut row_repeat = 1u32;
    let mut col = 0u32;
    // Cells of the current row: (column, repeat, value).
    let mut row_cells: Vec<(u32, u32, Cell)> = Vec::new();
    // The cell being read: its repeat, typed value, text so far.
    let mut cell: Option<(u32, Option<Cell>, String)> = None;
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(|e| bad(&e))?;
        match event {
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().as_ref(), "table:table") && cell.is_none() =>
            {
                if sheets == Sheets::First && next_sheet > 0 {
                    return Ok(());
                }
                sheet = Some(next_sheet);
                next_sheet += 1;
                row = 0;
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" && cell.is_none() => {
                row_repeat = repeat(&e, "table:number-rows-repeated")?;
                col = 0;
                row_cells.clear();
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" && cell.is_none() => {
                row = row.saturating_add(repeat(&e, "table:number-rows-repeated")?);
            }
            Event::Start(e) if is_cell(&e) && cell.is_none() => {
                cell = Some((
                    repeat(&e, "table:number-columns-repeated")?,
                    typed_value(&e)?,
                    String::new(),
                ));
            }
            Event::Empty(e) if is_cell(&e) && cell.is_none() => {
                let n = repeat(&e, "table:number-columns-repeated")?;
                if let Some(v) = typed_value(&e)? {
                    budget.take(u64::from(n) * u64::from(row_repeat))?;
                    row_cells.push((col, n, v));
                }
                col = col.saturating_add(n);
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = cell.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, text)) = cell.as_mut() {
                    let name = r.xml10_content();
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => text.push_str(s),
                        None => {
                            if let Ok(Some(c)) = r.resolve_char_ref() {
                                text.push(c);
                            }
                        }
                    }
                }
            }
            Event::Empty(e) if e.name().as_ref() == "text:s" => {
                if let Some((_, _, text)) = cell.as_mut() {
                    text.push(' ');
                }
            }
            Event::End(e) if e.name().as_ref() == "text:p" => {
                if let Some((_, _, text)) = cell.as_mut() {
                    text.push('\n');
                }
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some((n, typed, text)) = cell.take() {
                    let text = text.trim_end_matches('\n');
                    let value = match typed {
                        Some(v) => Some(v),
                        None if !text.trim().is_empty() => Some(Cell::Text(text.to_owned())),
                        None => None,
                    };
                    if let Some(v) = value {
                        budget.take(u64::from(n) * u64::from(row_repeat))?;
                        row_cells.push((col, n, v));
                    }
                    col = col.saturating_add(n);
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                // An empty row repeated 2^31 times must not loop 2^31 times.
                if let Some(s) = sheet.filter(|_| !row_cells.is_empty()) {
                    for r in 0..row_repeat {
                        for (c0, n, v) in &row_cells {
                            for c in 0..*n {
                                if !emit(s, row.saturating_add(r), c0.saturating_add(c), v.clone())?
                                {
                                    return Ok(());
                                }
                            }
                        }
                    }
                }
                row = row.saturating_add(row_repeat);
                row_repeat = 1;
                row_cells.clear();
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    matches!(
        e.name().as_ref(),
        "table:table-cell" | "table:covered-table-cell"
    )
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>> {
    for a in e.attributes() {
        let a = a.map_err(|err| unreadable("ods", err))?;
        if a.key.as_ref() == name {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| unreadable("ods", err))?
                .into_owned();
            return Ok(Some(v));
        }
    }
    Ok(None)
}

fn repeat(e: &BytesStart<'_>, name: &str) -> Result<u32> {
    match attr(e, name)? {
        None => Ok(1),
        Some(v) => v
            .trim()
            .parse::<u32>()
            .map(|n| n.max(1))
            .map_err(|_| unreadable("ods", format!("bad repeat count '{v}'"))),
    }
}

/// The value an ODS cell states in its attributes; text cells are read from
/// their paragraphs instead.
fn typed_value(e: &BytesStart<'_>) -> Result<Option<Cell>> {
    let Some(kind) = attr(e, "office:value-type")? else {
        return Ok(None);
    };
    let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<f64>().ok());
    Ok(match kind.as_str() {
        "float" | "percentage" | "currency" => number(attr(e, "office:value")?).map(Cell::Number),
        "date" => attr(e, "office:date-value")?.map(Cell::IsoDate),
        "time" => attr(e, "office:time-value")?.map(Cell::Text),
        "boolean" => attr(e, "office:boolean-value")?.map(Cell::Text),
        _ => None,
    })
}
