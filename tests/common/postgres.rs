//! A throwaway PostgreSQL cluster for tests, from the Debian `postgresql` package:
//! `initdb` in a temporary folder, `postgres` on a free port of 127.0.0.1, stopped by
//! pid at the end. Run as an unprivileged user (`postgres`, else `nobody`) when the
//! tests run as root, since PostgreSQL refuses to run as root.

use std::os::unix::fs::MetadataExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running (or stopped) cluster; stopped when dropped.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    user: Option<(u32, u32)>,
    child: Option<Child>,
    /// The server's certificate (PEM), when it speaks TLS.
    tls: Option<PathBuf>,
}

/// The folder holding `initdb` and `postgres`: the newest under /usr/lib/postgresql,
/// else the one on PATH. None when PostgreSQL is not installed.
fn binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("initdb").is_file() && p.join("postgres").is_file())
    })
}

/// The uid and gid of the first of `names` in /etc/passwd.
fn account(names: &[&str]) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    names.iter().find_map(|name| {
        passwd.lines().find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() > 3 && f[0] == *name {
                Some((f[2].parse().ok()?, f[3].parse().ok()?))
            } else {
                None
            }
        })
    })
}

impl Cluster {
    /// Creates and starts a cluster, or says plainly why not (PostgreSQL is not
    /// installed) and returns None, so the calling test can skip.
    pub fn start(test: &str) -> Option<Cluster> {
        let Some(bin) = binaries() else {
            eprintln!(
                "SKIPPED {test}: PostgreSQL is not installed (no initdb under \
                 /usr/lib/postgresql or on PATH); `apt-get install postgresql` to run it"
            );
            return None;
        };
        let root = std::fs::metadata("/proc/self")
            .map(|m| m.uid())
            .unwrap_or(1)
            == 0;
        let user = if root {
            Some(
                account(&["postgres", "nobody"])
                    .expect("an unprivileged account to run PostgreSQL"),
            )
        } else {
            None
        };
        let dir = tempfile::tempdir().unwrap();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cluster = Cluster {
            dir,
            bin,
            port,
            user,
            child: None,
            tls: None,
        };
        let out = cluster
            .command("initdb")
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "-D",
            ])
            .arg(cluster.data())
            .output()
            .expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        cluster.resume();
        Some(cluster)
    }

    /// [`Cluster::start`] with TLS on, under a fresh self-signed certificate for
    /// 127.0.0.1; returns the cluster and the certificate's PEM file, to trust.
    pub fn start_tls(test: &str) -> Option<(Cluster, PathBuf)> {
        let mut cluster = Cluster::start(test)?;
        cluster.stop();
        let generated = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
        let (cert, key) = (
            cluster.dir.path().join("server.crt"),
            cluster.dir.path().join("server.key"),
        );
        std::fs::write(&cert, generated.cert.pem()).unwrap();
        std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        if let Some((uid, gid)) = cluster.user {
            for f in [&cert, &key] {
                std::os::unix::fs::chown(f, Some(uid), Some(gid)).unwrap();
            }
        }
        cluster.tls = Some(cert.clone());
        cluster.resume();
        Some((cluster, cert))
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        if let Some((uid, gid)) = self.user {
            c.uid(uid).gid(gid);
        }
        c.current_dir(self.dir.path()).env_remove("PGDATA");
        c
    }

    /// The URL the servers get.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server (again) on the same port and waits until it takes connections.
    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "already running");
        let log = std::fs::File::create(self.dir.path().join("server.log")).unwrap();
        let child = self
            .command("postgres")
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(match &self.tls {
                Some(cert) => vec![
                    "-c".to_string(),
                    "ssl=on".to_string(),
                    "-c".to_string(),
                    format!("ssl_cert_file={}", cert.display()),
                    "-c".to_string(),
                    format!("ssl_key_file={}", cert.with_extension("key").display()),
                ],
                None => Vec::new(),
            })
            .arg("-c")
            .arg(format!(
                "unix_socket_directories={}",
                self.dir.path().display()
            ))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        self.child = Some(child);
        let started = Instant::now();
        loop {
            let ready = self
                .command("pg_isready")
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-q"])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ready {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("postgres exited ({status}): {}", self.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "postgres did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server with a fast shutdown (SIGINT) and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(30) {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// What the server logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Runs one SQL statement through `psql` and returns its output (unaligned, no
    /// headers).
    pub fn sql(&self, statement: &str) -> String {
        let psql = [self.bin.join("psql"), PathBuf::from("/usr/bin/psql")]
            .into_iter()
            .find(|p| p.is_file())
            .expect("psql");
        let mut c = Command::new(psql);
        if let Some((uid, gid)) = self.user {
            c.uid(uid).gid(gid);
        }
        let out = c
            .current_dir(self.dir.path())
            .args([
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &self.url(),
                "-c",
                statement,
            ])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}
