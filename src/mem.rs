//! Memory held to the end of a build: strings and vectors moved into an allocation of
//! exactly their length.
//!
//! `shrink_to_fit` asks the allocator to `realloc` to the smaller size, and mimalloc (the
//! global allocator, `src/main.rs`) keeps the block where it is when the new size is at
//! least half the old: a card rendered into Tera's 2,000-byte buffer stays at 2,000 bytes,
//! an HTML body grown to 1.5× its length stays so. For what a large site holds until its
//! pages are written (each text's HTML, each card), that room was a tenth of the build's
//! peak at 100,000 events; these functions copy into a fresh allocation instead.

/// `s` in an allocation of exactly its length (copied when it has room to spare).
pub(crate) fn exact(s: String) -> String {
    if s.capacity() == s.len() {
        return s;
    }
    s.as_str().to_owned()
}

/// `v` in an allocation of exactly its length (moved when it has room to spare); an empty
/// one allocates nothing.
pub(crate) fn exact_thin<T>(v: thin_vec::ThinVec<T>) -> thin_vec::ThinVec<T> {
    if v.capacity() == v.len() {
        return v;
    }
    let mut exact = thin_vec::ThinVec::with_capacity(v.len());
    exact.extend(v);
    exact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_has_no_room_to_spare_and_the_same_contents() {
        // Given by value with room to spare (a clone would already be exact).
        let mut s = String::with_capacity(2000);
        s.push_str(&"card ".repeat(220));
        let written = s.clone();
        assert_eq!(s.capacity(), 2000);
        let e = exact(s);
        assert_eq!(
            (e.as_str(), e.capacity()),
            (written.as_str(), written.len())
        );
        assert_eq!(exact(String::new()).capacity(), 0);
        let mut t: thin_vec::ThinVec<u32> = thin_vec::ThinVec::with_capacity(100);
        t.extend(0..70);
        let items = t.clone();
        assert_eq!(t.capacity(), 100);
        let e = exact_thin(t);
        assert_eq!((&e[..], e.capacity()), (&items[..], 70));
        let empty = exact_thin(thin_vec::ThinVec::<u8>::with_capacity(8));
        assert_eq!(empty.capacity(), 0);
    }
}
