//! Password hashing and verification (argon2), bounded so a burst of
//! logins or signups cannot exhaust memory or starve other work.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use hearth_core::Error;

/// Hashes `password` with argon2's defaults; call it through
/// [`PasswordGate::hash`] so concurrent computations stay bounded.
pub fn hash_password(password: &str) -> Result<String, Error> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(Error::internal)
}

/// Whether `password` matches the PHC string `hash`; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// What a password hash or check is for. Each purpose has its own budget of
/// concurrent argon2 computations, so a flood of one kind (say, signups)
/// cannot make the others wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashPurpose {
    /// `POST /users/login`: waits its turn (logins are rate-limited per client).
    Login,
    /// Signups and accounts made by admins: refused with `rate_limited` when busy.
    Signup,
    /// Password changes and resets, access token minting: refused when busy.
    Account,
}

impl HashPurpose {
    fn index(self) -> usize {
        match self {
            HashPurpose::Login => 0,
            HashPurpose::Signup => 1,
            HashPurpose::Account => 2,
        }
    }
}

/// One purpose's permits and how many computations it has run.
struct Budget {
    free: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
    computed: std::sync::atomic::AtomicU64,
}

/// Bounds concurrent password hashing. Each argon2 computation takes 19 MiB
/// and most of a core, so an unbounded burst would exhaust memory and starve
/// everything else. Logins have `n` permits and wait for one; signups and
/// the other account operations have their own, smaller budgets and are
/// refused at once (`rate_limited`) when those are in use.
pub struct PasswordGate {
    budgets: [Budget; 3],
}

/// Returns the permit even if the computation panics.
struct Permit<'a>(&'a Budget);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

impl PasswordGate {
    pub fn new(n: usize) -> PasswordGate {
        let n = n.max(1);
        let budget = |permits: usize| Budget {
            free: std::sync::Mutex::new(permits.max(1)),
            freed: std::sync::Condvar::new(),
            computed: std::sync::atomic::AtomicU64::new(0),
        };
        PasswordGate {
            budgets: [budget(n), budget(n.div_ceil(2)), budget(n.div_ceil(2))],
        }
    }

    fn budget(&self, purpose: HashPurpose) -> &Budget {
        &self.budgets[purpose.index()]
    }

    /// A permit for `purpose`: logins wait, the others fail fast.
    fn permit(&self, purpose: HashPurpose) -> hearth_core::Result<Permit<'_>> {
        let b = self.budget(purpose);
        let mut free = b.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            if purpose != HashPurpose::Login {
                return Err(Error::RateLimited {
                    retry_after_secs: 1,
                });
            }
            free = b.freed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        b.computed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Permit(b))
    }

    pub fn hash(&self, purpose: HashPurpose, password: &str) -> hearth_core::Result<String> {
        let _permit = self.permit(purpose)?;
        hash_password(password)
    }

    /// Whether `password` matches `hash`; `Err` only when a non-login
    /// budget is exhausted.
    pub fn verify(
        &self,
        purpose: HashPurpose,
        password: &str,
        hash: &str,
    ) -> hearth_core::Result<bool> {
        let _permit = self.permit(purpose)?;
        Ok(verify_password(password, hash))
    }

    /// A login's check; waits for a permit, never refused.
    pub fn verify_login(&self, password: &str, hash: &str) -> bool {
        self.verify(HashPurpose::Login, password, hash)
            .unwrap_or(false)
    }

    /// Argon2 computations run for `purpose` since start (for metrics and tests).
    pub fn computed(&self, purpose: HashPurpose) -> u64 {
        self.budget(purpose)
            .computed
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Permits of `purpose` free now.
    pub fn free(&self, purpose: HashPurpose) -> usize {
        *self
            .budget(purpose)
            .free
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_purpose_fails_fast_and_leaves_logins_alone() {
        let gate = PasswordGate::new(2);
        let held = gate.permit(HashPurpose::Signup).unwrap();
        assert_eq!(gate.free(HashPurpose::Signup), 0);
        let e = gate.hash(HashPurpose::Signup, "pw").unwrap_err();
        assert!(matches!(e, Error::RateLimited { .. }), "{e:?}");
        // Logins and the other account operations have their own permits.
        assert_eq!(gate.free(HashPurpose::Login), 2);
        assert_eq!(gate.free(HashPurpose::Account), 1);
        let h = gate.hash(HashPurpose::Account, "pw").unwrap();
        assert!(gate.verify_login("pw", &h));
        drop(held);
        assert_eq!(gate.free(HashPurpose::Signup), 1);
        assert!(gate.hash(HashPurpose::Signup, "pw").is_ok());
        assert_eq!(gate.computed(HashPurpose::Signup), 2);
        assert_eq!(gate.computed(HashPurpose::Login), 1);
    }
}
