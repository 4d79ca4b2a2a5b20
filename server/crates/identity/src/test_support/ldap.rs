//! A private slapd loaded with tests/fixtures/directory.ldif.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::ldap::{GroupConfig, LdapConfig, MemberAttribute, NestedGroups};

use super::{crate_dir, free_port, wait_until};

pub const BASE: &str = "dc=example,dc=com";
pub const ROOT_DN: &str = "cn=root,dc=example,dc=com";
pub const ROOT_PW: &str = "rootpw";
pub const SVC_DN: &str = "cn=hearth-svc,ou=services,dc=example,dc=com";
pub const SVC_PW: &str = "svcpw";
/// Non-root binds get at most this many entries per plain search.
pub const SIZE_LIMIT: usize = 500;

pub struct Slapd {
    pub port: u16,
    pub ldaps_port: Option<u16>,
    /// PEM of the test CA that signed the server certificate (TLS instances only).
    pub ca_file: Option<PathBuf>,
    /// PEM of an unrelated CA (TLS instances only), for "wrong CA" checks.
    pub other_ca_file: Option<PathBuf>,
    pub dir: tempfile::TempDir,
    child: Child,
}

impl Slapd {
    /// Plain LDAP only.
    pub fn start() -> Slapd {
        Self::start_with(false)
    }

    /// Plain LDAP with StartTLS, plus LDAPS on a second port, with a self-signed certificate.
    pub fn start_tls() -> Slapd {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Slapd {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        std::fs::create_dir(d.join("db")).expect("db dir");
        let port = free_port();
        let ldaps_port = tls.then(free_port);
        let mut tls_conf = String::new();
        let mut ca_file = None;
        if tls {
            make_certificates(d);
            tls_conf = format!(
                "TLSCertificateFile {}\nTLSCertificateKeyFile {}\n",
                d.join("cert.pem").display(),
                d.join("key.pem").display()
            );
            ca_file = Some(d.join("ca.pem"));
        }
        let conf = format!(
            r#"include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
{tls_conf}
sizelimit size.soft={limit} size.hard={limit} size.prtotal=unlimited

database mdb
maxsize 104857600
suffix "{BASE}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PW}
directory {dir}/db
dbnosync
index objectClass eq
index uid,mail,cn eq
index member,uniqueMember,memberUid eq
access to attrs=userPassword
  by anonymous auth
  by * none
access to * by * read
"#,
            dir = d.display(),
            limit = SIZE_LIMIT,
        );
        std::fs::write(d.join("slapd.conf"), conf).expect("write slapd.conf");
        let mut listen = format!("ldap://127.0.0.1:{port}/");
        if let Some(p) = ldaps_port {
            listen.push_str(&format!(" ldaps://127.0.0.1:{p}/"));
        }
        // -d 0 keeps slapd in the foreground so the handle can stop it.
        let child = Command::new("/usr/sbin/slapd")
            .arg("-f")
            .arg(d.join("slapd.conf"))
            .args(["-h", &listen, "-d", "0"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("slapd.log")).expect("log file"))
            .spawn()
            .expect("start /usr/sbin/slapd (Debian package slapd)");
        let mut s = Slapd {
            port,
            ldaps_port,
            other_ca_file: ca_file.as_ref().map(|_| d.join("other-ca.pem")),
            ca_file,
            dir,
            child,
        };
        let url = s.url();
        let up = wait_until(Duration::from_secs(10), || {
            Command::new("ldapwhoami")
                .args(["-x", "-H", &url, "-D", ROOT_DN, "-w", ROOT_PW])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
        });
        if !up {
            let _ = s.child.kill();
            let _ = s.child.wait();
            let log = std::fs::read_to_string(s.dir.path().join("slapd.log")).unwrap_or_default();
            panic!("slapd did not start: {log}");
        }
        s.add_ldif_file(&crate_dir().join("tests/fixtures/directory.ldif"));
        s
    }

    pub fn url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.port)
    }

    pub fn ldaps_url(&self) -> String {
        format!(
            "ldaps://127.0.0.1:{}",
            self.ldaps_port.expect("TLS instance")
        )
    }

    pub fn add_ldif_file(&self, path: &std::path::Path) {
        let out = Command::new("ldapadd")
            .args(["-x", "-H", &self.url(), "-D", ROOT_DN, "-w", ROOT_PW, "-f"])
            .arg(path)
            .output()
            .expect("run ldapadd (Debian package ldap-utils)");
        assert!(
            out.status.success(),
            "ldapadd failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn add_ldif(&self, ldif: &str) {
        let path = self
            .dir
            .path()
            .join(format!("extra-{}.ldif", super::free_port()));
        std::fs::write(&path, ldif).expect("write ldif");
        self.add_ldif_file(&path);
    }

    pub fn modify(&self, ldif: &str) {
        let path = self
            .dir
            .path()
            .join(format!("modify-{}.ldif", super::free_port()));
        std::fs::write(&path, ldif).expect("write ldif");
        let out = Command::new("ldapmodify")
            .args(["-x", "-H", &self.url(), "-D", ROOT_DN, "-w", ROOT_PW, "-f"])
            .arg(&path)
            .output()
            .expect("run ldapmodify");
        assert!(
            out.status.success(),
            "ldapmodify failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The configuration the tests use: service account, fixture groups, disabled convention.
    pub fn config(&self) -> LdapConfig {
        let mut c = LdapConfig::new(self.url(), BASE);
        c.bind_dn = SVC_DN.into();
        c.bind_password = SVC_PW.into();
        c.connect_timeout_ms = 3_000;
        c.operation_timeout_ms = 10_000;
        c.disabled_filter = Some("(employeeType=disabled)".into());
        c.groups = Some(GroupConfig {
            base_dn: Some(format!("ou=groups,{BASE}")),
            filter: "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))".into(),
            name_attribute: "cn".into(),
            member_attributes: vec![MemberAttribute::Member, MemberAttribute::UniqueMember, MemberAttribute::MemberUid],
            nested: NestedGroups::Iterative,
        });
        c
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// LDIF for `n` generated users `gen0000`... under ou=generated,ou=people.
pub fn generated_users(n: usize) -> String {
    let mut s = format!(
        "dn: ou=generated,ou=people,{BASE}\nobjectClass: organizationalUnit\nou: generated\n\n"
    );
    for i in 0..n {
        s.push_str(&format!(
            "dn: uid=gen{i:04},ou=generated,ou=people,{BASE}\nobjectClass: inetOrgPerson\nuid: gen{i:04}\ncn: Generated {i}\nsn: User{i}\nmail: gen{i:04}@example.com\n\n"
        ));
    }
    s
}

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openssl (Debian package openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A test CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA.
fn make_certificates(d: &std::path::Path) {
    std::fs::write(
        d.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write ext file");
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=Hearth Test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ];
    ca.extend(ec);
    openssl(d, &ca);
    let mut other = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=Unrelated CA",
        "-keyout",
        "other-ca.key",
        "-out",
        "other-ca.pem",
    ];
    other.extend(ec);
    openssl(d, &other);
    let mut csr = vec![
        "req",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "key.pem",
        "-out",
        "server.csr",
    ];
    csr.extend(ec);
    openssl(d, &csr);
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "cert.pem",
        ],
    );
}
