//! The group-commit writer: one thread with its own connection takes every write waiting, runs
//! them in one transaction (each in a savepoint of its own, so that one failure does not disturb
//! the others), commits with one fsync, and only then answers each.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::{lock, StoreError, Written};

/// The writer thread and its queue.
pub(super) struct Writer {
    jobs: Option<Sender<Box<dyn Job>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer thread on `conn`.
    pub(super) fn start(conn: Arc<Mutex<Connection>>) -> Result<Self, StoreError> {
        // Not bounded: every write waiting is a request waiting for its answer, and a connection
        // has one request under way at a time, so the connections bound the queue.
        let (jobs, queue) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run_writer(&conn, &queue))
            .map_err(|e| StoreError::new(e.to_string()))?;
        Ok(Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Queues `work` for the next group's transaction; the [`Written`] gives its outcome once
    /// that is committed.
    pub(super) fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Written<T> {
        let (reply, written) = Written::channel();
        let job: Box<dyn Job> = Box::new(Queued {
            work: Some(work),
            result: None,
            reply,
        });
        match &self.jobs {
            // A failed send drops the job and its reply: the Written then says "stopped".
            Some(jobs) => {
                let _ = jobs.send(job);
            }
            None => drop(job),
        }
        written
    }

    /// Closes the queue and waits for the writer to finish the writes under way.
    pub(super) fn stop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The most writes one transaction takes.
const MAX_GROUP: usize = 512;

/// One write waiting for its group.
trait Job: Send {
    /// Does the work inside the group's transaction (in a savepoint of its own).
    fn run(&mut self, conn: &Connection);
    /// Answers the caller once the group's transaction is committed (or has failed).
    fn finish(self: Box<Self>, committed: Result<(), StoreError>);
}

struct Queued<T, F> {
    work: Option<F>,
    result: Option<Result<T, StoreError>>,
    reply: tokio::sync::oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> Job for Queued<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, StoreError> + Send,
{
    fn run(&mut self, conn: &Connection) {
        if let Some(work) = self.work.take() {
            self.result = Some(in_savepoint(conn, work));
        }
    }

    fn finish(self: Box<Self>, committed: Result<(), StoreError>) {
        let answer = match (committed, self.result) {
            (Err(err), _) => Err(err),
            (Ok(()), Some(result)) => result,
            (Ok(()), None) => Err(StoreError::new("the write was not run")),
        };
        // The caller may have gone (its request was cancelled): nothing to answer then.
        let _ = self.reply.send(answer);
    }
}

fn in_savepoint<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    match work(conn) {
        Ok(value) => {
            conn.prepare_cached("RELEASE job")?.execute([])?;
            Ok(value)
        }
        Err(err) => {
            let _ = conn.execute_batch("ROLLBACK TO job; RELEASE job");
            Err(err)
        }
    }
}

/// The writer thread: takes every write waiting (up to [`MAX_GROUP`]), runs them in one
/// transaction, commits (one fsync for the group), then answers each.
fn run_writer(conn: &Mutex<Connection>, queue: &Receiver<Box<dyn Job>>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let committed = match lock(conn) {
            Ok(conn) => commit_group(&conn, &mut group),
            Err(err) => Err(err),
        };
        for job in group {
            job.finish(committed.clone());
        }
    }
}

fn commit_group(conn: &Connection, group: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    for job in group.iter_mut() {
        job.run(conn);
    }
    // On some errors (SQLITE_FULL, an I/O error) SQLite rolls the whole transaction back by
    // itself: then nothing of the group was stored, whatever each job's own result said.
    if conn.is_autocommit() {
        return Err(StoreError {
            message: "SQLite rolled the transaction back (a full disk or an I/O error)".into(),
            unavailable: true,
        });
    }
    if let Err(err) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(err.into());
    }
    Ok(())
}
