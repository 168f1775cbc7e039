//! A bounds-checked big-endian byte cursor whose errors carry absolute offsets.

use crate::error::{ErrorKind, LoadError};

/// Cursor over `data`; `base` is the absolute offset of `data[0]` (used in errors).
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    #[inline]
    pub(crate) fn new(data: &'a [u8], base: usize) -> Self {
        Reader { data, pos: 0, base }
    }

    /// Position relative to the start of the data.
    #[inline]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Absolute offset of the cursor.
    #[inline]
    pub(crate) fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The bytes not read yet.
    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    /// An error at the current position.
    #[cold]
    pub(crate) fn err(&self, kind: ErrorKind) -> LoadError {
        LoadError::new(kind, self.offset())
    }

    /// An error at relative position `pos`.
    #[cold]
    pub(crate) fn err_at(&self, pos: usize, kind: ErrorKind) -> LoadError {
        LoadError::new(kind, self.base.saturating_add(pos))
    }

    #[inline]
    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], LoadError> {
        match self
            .pos
            .checked_add(n)
            .and_then(|end| self.data.get(self.pos..end))
        {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(self.err(ErrorKind::Truncated {
                needed: n - self.remaining().min(n),
            })),
        }
    }

    #[inline]
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], LoadError> {
        let s = self.bytes(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Result<u8, LoadError> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.err(ErrorKind::Truncated { needed: 1 })),
        }
    }

    #[inline]
    pub(crate) fn u16(&mut self) -> Result<u16, LoadError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Result<u32, LoadError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    #[inline]
    pub(crate) fn i32(&mut self) -> Result<i32, LoadError> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    #[inline]
    pub(crate) fn u64(&mut self) -> Result<u64, LoadError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    #[inline]
    pub(crate) fn i64(&mut self) -> Result<i64, LoadError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    /// Reads a `u32` entry count and checks that `count * entry_size` bytes remain
    /// (`entry_size` is a lower bound on each entry's size, at least 1).
    pub(crate) fn count(&mut self, entry_size: usize) -> Result<usize, LoadError> {
        let at = self.pos;
        let n = self.u32()?;
        self.check_count(at, n as u64, entry_size)
    }

    /// Checks that `n` entries of at least `entry_size` bytes fit in what remains.
    pub(crate) fn check_count(
        &self,
        at: usize,
        n: u64,
        entry_size: usize,
    ) -> Result<usize, LoadError> {
        let need = n.checked_mul(entry_size.max(1) as u64);
        match need {
            Some(need) if need <= self.remaining() as u64 => Ok(n as usize),
            _ => Err(self.err_at(at, ErrorKind::BadCount(n))),
        }
    }
}
