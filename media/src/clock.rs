//! Extension of 33-bit MPEG timestamps across wrap-around.

const WRAP: i64 = 1 << 33;

/// Keeps the last extended timestamp and places each new 33-bit value nearest to it.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Clock {
    last: Option<i64>,
}

impl Clock {
    /// The 64-bit extension of `raw` (a 33-bit value) closest to the previous timestamp.
    pub(crate) fn extend(&mut self, raw: u64) -> i64 {
        let raw = (raw as i64) & (WRAP - 1);
        let v = match self.last {
            None => raw,
            Some(last) => {
                let mut d = raw - last.rem_euclid(WRAP);
                if d > WRAP / 2 {
                    d -= WRAP;
                } else if d < -WRAP / 2 {
                    d += WRAP;
                }
                last + d
            }
        };
        self.last = Some(v);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_forward_and_back() {
        let mut c = Clock::default();
        assert_eq!(c.extend(WRAP as u64 - 3600), WRAP - 3600);
        assert_eq!(c.extend(0), WRAP);
        assert_eq!(c.extend(3600), WRAP + 3600);
        assert_eq!(c.extend(WRAP as u64 - 1), WRAP - 1);
    }
}
