//! Line reading with a length cap: a line longer than the cap is skipped (its length
//! reported) instead of being buffered whole, so an endless line cannot exhaust memory.

use std::io::{self, BufRead};

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// A line (without its `\n` or `\r\n`) is in the buffer.
    Complete,
    /// The line was longer than the cap; this many bytes were skipped.
    TooLong(usize),
}

/// Reads one line into `buf` (cleared first). `Ok(None)` at end of input.
pub(crate) fn read_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<Line>> {
    buf.clear();
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            if total == 0 {
                return Ok(None);
            }
            break;
        }
        let (chunk, found_newline) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], Some(i)),
            None => (available, None),
        };
        total += chunk.len();
        if !too_long {
            if buf.len() + chunk.len() > cap {
                too_long = true;
                buf.clear();
                buf.shrink_to(64 * 1024);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let consumed = found_newline.map_or(chunk.len(), |i| i + 1);
        reader.consume(consumed);
        if found_newline.is_some() {
            if total == 0 && !too_long {
                // An empty line still counts as a line.
                return Ok(Some(Line::Complete));
            }
            break;
        }
    }
    if too_long {
        return Ok(Some(Line::TooLong(total)));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(Line::Complete))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_caps_long_ones() {
        let input = b"short\r\n\nthis line is too long\nlast";
        let mut reader = io::BufReader::with_capacity(4, &input[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).unwrap(),
            Some(Line::Complete)
        );
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).unwrap(),
            Some(Line::Complete)
        );
        assert_eq!(buf, b"");
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).unwrap(),
            Some(Line::TooLong(21))
        );
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).unwrap(),
            Some(Line::Complete)
        );
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut reader, &mut buf, 10).unwrap(), None);
    }
}
