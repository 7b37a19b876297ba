//! The session-login state: challenges handed out by the capabilities request and not yet
//! answered, and the open sessions (their IDs are the `WebSession` cookies).

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

use super::hash::sha256_hex;

/// Challenges kept at most; the oldest goes first (a client that never logs in).
const MAX_PENDING: usize = 256;

/// A challenge handed out, waiting for its `SessionLogin`.
#[derive(Debug, Clone)]
pub struct Pending {
    pub user: String,
    pub challenge: String,
    pub salt: String,
    created: Instant,
}

/// Pending challenges and open sessions.
#[derive(Debug)]
pub struct Sessions {
    secret: String,
    counter: AtomicU64,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    pending: HashMap<String, Pending>,
    /// Open sessions: ID -> user.
    active: HashMap<String, String>,
}

impl Sessions {
    pub fn new() -> Self {
        let secret = sha256_hex(&format!(
            "{:x}{:?}",
            RandomState::new().hash_one(0u8),
            SystemTime::now()
        ));
        Self {
            secret,
            counter: AtomicU64::new(0),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// 64 fresh hex characters.
    fn fresh(&self, what: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let noise = RandomState::new().hash_one(n);
        sha256_hex(&format!(
            "{what}:{}:{n}:{noise:x}:{:?}",
            self.secret,
            Instant::now()
        ))
    }

    /// The user's salt: stable for the life of the face, as a device keeps one per user.
    pub fn salt(&self, user: &str) -> String {
        sha256_hex(&format!("salt:{}:{user}", self.secret))
    }

    /// A new challenge for `user`: (session ID, its pending state).
    pub fn challenge(&self, user: &str) -> (String, Pending) {
        let id = self.fresh("session");
        let pending = Pending {
            user: user.to_owned(),
            challenge: self.fresh("challenge")[..32].to_owned(),
            salt: self.salt(user),
            created: Instant::now(),
        };
        let mut inner = self.lock();
        if inner.pending.len() >= MAX_PENDING {
            let oldest = inner
                .pending
                .iter()
                .min_by_key(|(_, p)| p.created)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                inner.pending.remove(&oldest);
            }
        }
        inner.pending.insert(id.clone(), pending.clone());
        (id, pending)
    }

    /// Take the challenge of session `id` (each is answered once).
    pub fn take_pending(&self, id: &str) -> Option<Pending> {
        self.lock().pending.remove(id)
    }

    /// Open session `id` for `user`.
    pub fn open(&self, id: &str, user: &str) {
        self.lock().active.insert(id.to_owned(), user.to_owned());
    }

    /// The user of open session `id`.
    pub fn user(&self, id: &str) -> Option<String> {
        self.lock().active.get(id).cloned()
    }

    /// Close session `id`; whether it was open.
    pub fn close(&self, id: &str) -> bool {
        self.lock().active.remove(id).is_some()
    }

    /// How many sessions are open.
    pub fn open_count(&self) -> usize {
        self.lock().active.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        hcnetsdk_device::lock(&self.inner)
    }
}
