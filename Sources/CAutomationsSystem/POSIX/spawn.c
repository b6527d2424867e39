// The portable process backend: posix_spawn, and SIGCHLD delivered to the event loop through a self-pipe. What
// macOS and the BSDs use; on Linux with AUTOMATIONS_BACKEND=posix, so that it is tested here.
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "CAutomationsSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>

int automations_posix_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *cwd,
                            int stdin_fd, int stdout_fd, int stderr_fd) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int error = posix_spawnattr_init(&attributes);
    if (error != 0) return error;
    error = posix_spawn_file_actions_init(&actions);
    if (error != 0) {
        posix_spawnattr_destroy(&attributes);
        return error;
    }
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
#ifdef POSIX_SPAWN_SETSID
    flags |= POSIX_SPAWN_SETSID;
#else
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attributes, 0);
#endif
#ifdef POSIX_SPAWN_CLOEXEC_DEFAULT
    flags |= POSIX_SPAWN_CLOEXEC_DEFAULT; // Darwin: only what the file actions name is inherited
#endif
    sigset_t all_signals, no_signals;
    sigfillset(&all_signals);
    sigemptyset(&no_signals);
    posix_spawnattr_setsigdefault(&attributes, &all_signals);
    posix_spawnattr_setsigmask(&attributes, &no_signals);
    posix_spawnattr_setflags(&attributes, flags);
    int sources[3] = {stdin_fd, stdout_fd, stderr_fd};
    for (int target = 0; target < 3 && error == 0; target++) {
        if (sources[target] < 0) {
            error = posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY,
                                                     0);
        } else {
            error = posix_spawn_file_actions_adddup2(&actions, sources[target], target);
        }
    }
    // Every descriptor of the runner is close-on-exec; glibc 2.34 can also close the rest in the child.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    if (error == 0) error = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
    if (error == 0 && cwd != NULL) error = posix_spawn_file_actions_addchdir_np(&actions, cwd);
    if (error == 0) error = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return error;
}

static int child_signal_pipe[2] = {-1, -1};

static void note_child_signal(int signal_number) {
    (void)signal_number;
    int saved_errno = errno;
    char byte = 1;
    (void)write(child_signal_pipe[1], &byte, 1); // a full pipe already says it
    errno = saved_errno;
}

int automations_child_signal_pipe(void) {
    if (child_signal_pipe[0] >= 0) return child_signal_pipe[0];
    if (automations_pipe(child_signal_pipe) != 0) return -1;
    automations_set_nonblocking(child_signal_pipe[0]);
    automations_set_nonblocking(child_signal_pipe[1]);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_child_signal;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGCHLD, &action, NULL) != 0) return -1;
    return child_signal_pipe[0];
}

void automations_unblock_child_signal(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}
