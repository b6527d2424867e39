#ifndef C_AUTOMATIONS_SYSTEM_H
#define C_AUTOMATIONS_SYSTEM_H

// The C half of the platform seam. Common.c holds what every POSIX system has; Linux/ holds what only Linux has
// (clone, pidfd, epoll, eventfd, signalfd, the subreaper); POSIX/ holds the portable process backend (posix_spawn,
// SIGCHLD through a self-pipe), which Linux uses too when AUTOMATIONS_BACKEND=posix.

#include <stdint.h>
#include <sys/types.h>

// MARK: - Every platform

/// Decodes a wait status: sets `*code` and returns 0 for a normal exit, 1 for death by a signal, -1 otherwise.
int automations_decode_status(int status, int *code);

/// Creates a pipe whose ends are close-on-exec. Returns 0 or -1 with errno.
int automations_pipe(int fds[2]);

/// Makes `fd` non-blocking with one system call (FIONBIO).
void automations_set_nonblocking(int fd);

/// Reads and discards whatever `fd` (non-blocking) holds now.
void automations_drain(int fd);

/// Records SIGINT, SIGTERM and SIGHUP instead of dying of them, until the runner watches for them itself.
void automations_catch_early_stop_signals(void);
/// The first stop signal recorded by automations_catch_early_stop_signals (0 for none).
int automations_early_stop_signal(void);

// MARK: - The POSIX backend

/// Spawns with posix_spawn: a new session (a new process group where POSIX_SPAWN_SETSID is missing), every signal
/// at its default and none blocked, descriptors 0-2 from the given ones (-1: /dev/null), in `cwd` (NULL: here).
/// Returns 0 and sets `*pid`, or an errno value.
int automations_posix_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *cwd,
                            int stdin_fd, int stdout_fd, int stderr_fd);

/// Installs a SIGCHLD handler that writes a byte to a non-blocking self-pipe, and returns the pipe's read end (or
/// -1 with errno). SIGCHLD stays blocked in every thread but the one that calls automations_unblock_child_signal.
int automations_child_signal_pipe(void);

/// Unblocks SIGCHLD in the calling thread (the event loop's), where the handler then runs.
void automations_unblock_child_signal(void);

// MARK: - Linux

#ifdef __linux__
/// Spawns `path` with `argv`/`envp` in a new session and process group (both its pid), standard input from
/// `stdin_fd` (-1: /dev/null), standard output and error on `stdout_fd`/`stderr_fd` (-1: /dev/null), in `cwd`
/// (NULL: here), with every signal at its default disposition and none blocked, and no other descriptor inherited.
/// clone(CLONE_VM|CLONE_VFORK) on a stack kept per thread. Returns 0 and sets `*pid`, or an errno value.
int automations_linux_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *cwd,
                            int stdin_fd, int stdout_fd, int stderr_fd);

/// A pidfd for `pid` (Linux 5.3+), or -1 with errno set (ENOSYS before 5.3, or where a seccomp filter refuses it).
int automations_pidfd_open(pid_t pid);

/// A signalfd that reads as ready when SIGCHLD is pending (non-blocking, close-on-exec), or -1 with errno.
int automations_child_signal_fd(void);

/// Makes this process a child subreaper: orphaned descendants are re-parented to it instead of to init.
int automations_set_child_subreaper(void);

/// Creates an epoll instance (close-on-exec).
int automations_epoll_create(void);

/// Adds `fd` to the epoll set for reading, with `token` as its data. Returns 0 or -1 with errno.
int automations_epoll_add(int epoll_fd, int fd, uint64_t token);

/// Removes `fd` from the epoll set.
int automations_epoll_remove(int epoll_fd, int fd);

/// Waits for events; fills `tokens`. Returns the count or -1.
int automations_epoll_wait(int epoll_fd, uint64_t *tokens, int capacity, int timeout_ms);

/// Creates an eventfd (non-blocking, close-on-exec).
int automations_eventfd(void);
#endif

/// SHA-256 (FIPS 180-4), incrementally: the result cache's content digests and keys.
typedef struct {
    unsigned int state[8];
    unsigned long long length;
    unsigned char buffer[64];
    unsigned int used;
} automations_sha256;

void automations_sha256_init(automations_sha256 *context);
void automations_sha256_update(automations_sha256 *context, const void *data, unsigned long count);
void automations_sha256_final(automations_sha256 *context, unsigned char digest[32]);

#endif
