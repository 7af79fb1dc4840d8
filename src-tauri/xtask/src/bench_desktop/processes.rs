//! Process trees from /proc: who descends from whom, and how much memory they hold.

use std::collections::HashMap;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// One process of a tree.
#[derive(Clone, Debug)]
pub struct Process {
    pub pid: u32,
    /// The executable's short name (e.g. WebKitWebProcess).
    pub name: String,
    /// Resident memory (VmRSS) in KiB.
    pub rss_kib: u64,
    /// When it started (clock ticks since boot): with the PID, it tells a process from a
    /// later one that got the same PID.
    started: u64,
}

/// `root` and all its descendants that are alive now, `root` first.
pub fn tree(root: u32) -> Vec<Process> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (pid, parent) in all_parents() {
        children.entry(parent).or_default().push(pid);
    }
    let mut found = Vec::new();
    let mut next = vec![root];
    while let Some(pid) = next.pop() {
        if let Some(process) = read(pid) {
            found.push(process);
            next.extend(children.get(&pid).into_iter().flatten());
        }
    }
    found
}

/// Whether `process` still exists (a zombie counts as gone).
pub fn alive(process: &Process) -> bool {
    stat(process.pid).is_some_and(|stat| stat.started == process.started && stat.state != 'Z')
}

/// SIGTERM, a short wait, then SIGKILL; reaps `child`.
pub fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(3);
    while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Kills `lingering` (left-overs of a tree whose root is gone) with SIGKILL, each only if it
/// is still that very process.
pub fn kill(lingering: &[Process]) {
    let pids: Vec<String> = lingering
        .iter()
        .filter(|process| alive(process))
        .map(|process| process.pid.to_string())
        .collect();
    if !pids.is_empty() {
        let _ = Command::new("kill").arg("-KILL").args(pids).status();
    }
}

/// (pid, parent pid) of every process.
fn all_parents() -> Vec<(u32, u32)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, stat(pid)?.parent)))
        .collect()
}

/// What the bench needs of /proc/<pid>/stat.
struct Stat {
    state: char,
    parent: u32,
    started: u64,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = after_name(&text)?.split_whitespace().collect();
    // After the name: state is field 3 of stat(5), ppid 4, starttime 22.
    Some(Stat {
        state: fields.first()?.chars().next()?,
        parent: fields.get(1)?.parse().ok()?,
        started: fields.get(19)?.parse().ok()?,
    })
}

fn read(pid: u32) -> Option<Process> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |key: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .map(str::trim)
    };
    let name = field("Name:")?.to_owned();
    // Kernel threads and zombies have no VmRSS line: they hold no memory of their own.
    let rss_kib = field("VmRSS:")
        .and_then(|value| value.trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let started = stat(pid)?.started;
    Some(Process {
        pid,
        name,
        rss_kib,
        started,
    })
}

/// The fields of /proc/<pid>/stat after "(name)"; the name may hold spaces and parentheses.
fn after_name(stat: &str) -> Option<&str> {
    stat.rfind(')').map(|end| stat[end + 1..].trim_start())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_the_root_of_its_own_tree_and_holds_memory() {
        let me = std::process::id();
        let tree = tree(me);
        assert_eq!(tree[0].pid, me);
        assert!(tree[0].rss_kib > 0, "{tree:?}");
        assert!(alive(&tree[0]));
    }

    #[test]
    fn a_child_is_part_of_the_tree_until_it_is_gone() {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        let pid = child.id();
        let sleeper = tree(std::process::id())
            .into_iter()
            .find(|p| p.pid == pid)
            .expect("the child in the tree");
        assert!(alive(&sleeper));
        terminate(&mut child);
        assert!(!alive(&sleeper));
        assert!(!tree(std::process::id()).iter().any(|p| p.pid == pid));
    }

    #[test]
    fn a_later_process_with_the_same_pid_is_not_the_same_process() {
        let mut me = tree(std::process::id()).remove(0);
        me.started += 1;
        assert!(!alive(&me));
    }

    #[test]
    fn names_with_spaces_and_parentheses_do_not_shift_the_fields() {
        let stat = "42 (Web (Content) x) S 7 42 42 0 -1";
        assert_eq!(
            after_name(stat).unwrap().split_whitespace().nth(1),
            Some("7")
        );
    }
}
