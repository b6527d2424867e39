#ifndef C_AUTOMATIONS_SYSTEM_H
#define C_AUTOMATIONS_SYSTEM_H

#include <stdint.h>
#include <sys/types.h>

/// Spawns `path` with `argv`/`envp` in a new session and process group (both its pid), standard input from /dev/null, standard
/// output and error on `stdout_fd`/`stderr_fd`, in `cwd`, with every signal at its default disposition and
/// none blocked, and no other descriptor inherited. Returns 0 and sets `*pid`, or an errno value.
int automations_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *cwd,
                      int stdout_fd, int stderr_fd);

/// Spawns a helper in its own session with `stdin_fd` as standard input and /dev/null for output. Returns 0 or
/// an errno value.
int automations_spawn_helper(pid_t *pid, const char *path, char *const argv[], char *const envp[], int stdin_fd);

/// A pidfd for `pid` (Linux 5.3+), or -1 with errno set.
int automations_pidfd_open(pid_t pid);

/// Makes this process a child subreaper: orphaned descendants are re-parented to it instead of to init.
int automations_set_child_subreaper(void);

/// Creates an epoll instance (close-on-exec).
int automations_epoll_create(void);

/// Adds `fd` to the epoll set for reading, with `token` as its data. Returns 0 or -1 with errno.
int automations_epoll_add(int epoll_fd, int fd, uint64_t token);

/// Removes `fd` from the epoll set.
int automations_epoll_remove(int epoll_fd, int fd);

/// Waits for events; fills `tokens` and `flags` (1 readable, 2 hang-up or error). Returns the count or -1.
int automations_epoll_wait(int epoll_fd, uint64_t *tokens, uint32_t *flags, int capacity, int timeout_ms);

/// Creates a pipe whose ends are close-on-exec. Returns 0 or -1 with errno.
int automations_pipe(int fds[2]);

/// Makes `fd` non-blocking with one system call (FIONBIO).
void automations_set_nonblocking(int fd);

/// Creates an eventfd (non-blocking, close-on-exec).
int automations_eventfd(void);

/// Decodes a wait status: sets `*code` and returns 0 for a normal exit, 1 for death by a signal, -1 otherwise.
int automations_decode_status(int status, int *code);

/// Records SIGINT, SIGTERM and SIGHUP instead of dying of them, until the runner watches for them itself.
void automations_catch_early_stop_signals(void);
/// The first stop signal recorded by automations_catch_early_stop_signals (0 for none).
int automations_early_stop_signal(void);

#endif
