//! Markdown tables in the seed's layout: every column padded to the
//! width of the longest raw cell in the whole table.

/// Escapes a cell so it cannot break the table.
pub fn escape(cell: &str) -> String {
    cell.replace('|', "\\|")
        .replace("\r\n", "<br/>")
        .replace('\n', "<br/>")
}

/// Renders a table; every row must have as many cells as `header`.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let width = header
        .iter()
        .map(|h| h.chars().count())
        .chain(rows.iter().flatten().map(|c| c.chars().count()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = String>, out: &mut String| {
        for cell in cells {
            let pad = width.saturating_sub(cell.chars().count());
            out.push_str("| ");
            out.push_str(&cell);
            out.extend(std::iter::repeat_n(' ', pad));
            out.push(' ');
        }
        out.push('|');
    };
    line(&mut header.iter().map(|h| escape(h)), &mut out);
    out.push('\n');
    line(&mut header.iter().map(|_| "-".repeat(width)), &mut out);
    for row in rows {
        out.push('\n');
        line(&mut row.iter().map(|c| escape(c)), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_share_the_width_of_the_longest_raw_cell() {
        let t = render(&["A", "B"], &[vec!["x".into(), "long".into()]]);
        assert_eq!(t, "| A    | B    |\n| ---- | ---- |\n| x    | long |");
    }

    #[test]
    fn pipes_and_newlines_are_escaped_after_measuring() {
        let t = render(&["A"], &[vec!["a|b\nc".into()]]);
        assert_eq!(t, "| A     |\n| ----- |\n| a\\|b<br/>c |");
    }
}
