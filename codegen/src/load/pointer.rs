//! JSON Pointer (RFC 6901) segments: escaping, unescaping and appending.

/// Escapes one JSON Pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1")
    } else {
        segment.to_owned()
    }
}

/// Unescapes one JSON Pointer segment (RFC 6901).
pub fn unescape_segment(segment: &str) -> String {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~")
    } else {
        segment.to_owned()
    }
}

/// Appends a segment to a pointer.
pub fn child(pointer: &str, segment: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + segment.len() + 1);
    p.push_str(pointer);
    p.push('/');
    p.push_str(&escape_segment(segment));
    p
}
