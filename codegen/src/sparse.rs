//! [`Sparse`]: a group of rarely given fields, stored only when one is given.
//!
//! The schema tree and the IR hold a node per schema and per use of a type, and
//! most nodes give none of the keywords of a group (sub-schema applicators,
//! constraints): held inline, the empty groups were most of a large
//! description's memory. A `Sparse` group is one pointer while empty, reads
//! as the group itself (an empty one while nothing is stored), and is stored
//! on the first write.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A group whose every field has its default value, shared by every empty [`Sparse`].
pub trait Blank: Default + PartialEq + 'static {
    /// The empty group.
    fn blank() -> &'static Self;
}

/// Implements [`Blank`] for a type with `Default`, `PartialEq`, `Send` and `Sync`.
macro_rules! blank {
    ($ty:ty) => {
        impl $crate::sparse::Blank for $ty {
            fn blank() -> &'static Self {
                static BLANK: std::sync::OnceLock<$ty> = std::sync::OnceLock::new();
                BLANK.get_or_init(<$ty>::default)
            }
        }
    };
}
pub(crate) use blank;

/// `T`, boxed only when it holds something: reads as `T` (through `Deref`), and
/// a write through `DerefMut` stores an empty `T` first.
pub struct Sparse<T: Blank>(Option<Box<T>>);

impl<T: Blank> Sparse<T> {
    /// The group, taken out (the empty one when nothing is stored).
    pub fn into_inner(self) -> T {
        self.0.map_or_else(T::default, |b| *b)
    }

    /// The stored group, for a write that only changes what is there (never stores one).
    pub fn stored_mut(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut()
    }

    /// Frees the stored group when writes left it empty.
    pub fn compact(&mut self) {
        if self.0.as_deref().is_some_and(|t| t == T::blank()) {
            self.0 = None;
        }
    }
}

impl<T: Blank> Default for Sparse<T> {
    fn default() -> Self {
        Sparse(None)
    }
}

impl<T: Blank> From<T> for Sparse<T> {
    fn from(value: T) -> Self {
        if value == *T::blank() {
            Sparse(None)
        } else {
            Sparse(Some(Box::new(value)))
        }
    }
}

impl<T: Blank> Deref for Sparse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self.0.as_deref() {
            Some(t) => t,
            None => T::blank(),
        }
    }
}

impl<T: Blank> DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Blank + Clone> Clone for Sparse<T> {
    fn clone(&self) -> Self {
        Sparse(self.0.clone())
    }
}

impl<T: Blank> PartialEq for Sparse<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Blank + fmt::Debug> fmt::Debug for Sparse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Sparse;

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Group {
        name: Option<String>,
        list: Vec<u8>,
    }
    blank!(Group);

    #[test]
    fn an_empty_group_is_not_stored_and_reads_as_empty() {
        let group: Sparse<Group> = Group::default().into();
        assert!(group.0.is_none());
        assert_eq!(group.name, None);
        assert_eq!(group, Sparse::default());
    }

    #[test]
    fn a_write_stores_the_group_and_compacting_an_emptied_one_frees_it() {
        let mut group = Sparse::<Group>::default();
        group.list.push(1);
        assert_eq!(group.list, [1]);
        assert_eq!(format!("{group:?}"), format!("{:?}", *group));
        group.list.clear();
        assert!(group.0.is_some());
        assert_eq!(group, Sparse::default());
        group.compact();
        assert!(group.0.is_none());
    }
}
