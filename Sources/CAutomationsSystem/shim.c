#define _GNU_SOURCE
#include "CAutomationsSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

/// Blocks SIGCHLD in the main thread before main runs, so that every thread (all created later) inherits the block.
/// Exits are watched with pidfds; an unblocked SIGCHLD, although ignored, still woke a sleeping thread of the runner
/// for every command that ended (two context switches each). Commands are spawned with an empty mask.
__attribute__((constructor)) static void block_child_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static pthread_once_t spawn_setup_once = PTHREAD_ONCE_INIT;
static int null_read_fd = -1;
static int null_write_fd = -1;
static char own_directory[4096];

static void spawn_setup(void) {
    null_read_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    null_write_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (getcwd(own_directory, sizeof own_directory) == NULL) own_directory[0] = 0;
}

/// posix_spawn in a new session, every signal at its default and none blocked, descriptors 0-2 from the given
/// ones (-1: /dev/null, opened once and duplicated), nothing else inherited, in `cwd` (NULL: here).
static int spawn_in_new_session(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                                const char *cwd, int stdin_fd, int stdout_fd, int stderr_fd) {
    pthread_once(&spawn_setup_once, spawn_setup);
    if (null_read_fd < 0 || null_write_fd < 0) return EBADF;
    int descriptors[3] = {stdin_fd < 0 ? null_read_fd : stdin_fd, stdout_fd < 0 ? null_write_fd : stdout_fd,
                          stderr_fd < 0 ? null_write_fd : stderr_fd};
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int result = posix_spawnattr_init(&attributes);
    if (result != 0) return result;
    result = posix_spawn_file_actions_init(&actions);
    if (result != 0) {
        posix_spawnattr_destroy(&attributes);
        return result;
    }
    sigset_t all_signals, no_signals;
    sigfillset(&all_signals);
    sigemptyset(&no_signals);
    // A new session (and so a new process group, whose id is the pid): the command has no controlling terminal, so
    // one that reads /dev/tty fails at once instead of being stopped by SIGTTIN, and Ctrl-C on the runner's terminal
    // reaches only the runner, which stops the commands in order.
    short flags = POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if ((result = posix_spawnattr_setflags(&attributes, flags)) != 0) goto done;
    if ((result = posix_spawnattr_setsigdefault(&attributes, &all_signals)) != 0) goto done;
    if ((result = posix_spawnattr_setsigmask(&attributes, &no_signals)) != 0) goto done;
    for (int target = 0; target < 3; target++) {
        if ((result = posix_spawn_file_actions_adddup2(&actions, descriptors[target], target)) != 0) goto done;
    }
    // The runner never changes its own directory: a command that runs there needs no chdir.
    int same_directory = cwd != NULL && own_directory[0] != 0 && strcmp(cwd, own_directory) == 0;
    if (cwd != NULL && !same_directory && (result = posix_spawn_file_actions_addchdir_np(&actions, cwd)) != 0)
        goto done;
    if ((result = posix_spawn_file_actions_addclosefrom_np(&actions, 3)) != 0) goto done;
    result = posix_spawn(pid, path, &actions, &attributes, argv, envp);
done:
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return result;
}

int automations_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *cwd,
                      int stdout_fd, int stderr_fd) {
    return spawn_in_new_session(pid, path, argv, envp, cwd, -1, stdout_fd, stderr_fd);
}

int automations_spawn_helper(pid_t *pid, const char *path, char *const argv[], char *const envp[], int stdin_fd) {
    return spawn_in_new_session(pid, path, argv, envp, NULL, stdin_fd, -1, -1);
}

int automations_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int automations_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int automations_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int automations_epoll_add(int epoll_fd, int fd, uint64_t token) {
    struct epoll_event event = {0};
    event.events = EPOLLIN;
    event.data.u64 = token;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int automations_epoll_remove(int epoll_fd, int fd) { return epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL); }

int automations_epoll_wait(int epoll_fd, uint64_t *tokens, uint32_t *flags, int capacity, int timeout_ms) {
    struct epoll_event events[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll_fd, events, capacity, timeout_ms);
    for (int index = 0; index < count; index++) {
        tokens[index] = events[index].data.u64;
        uint32_t value = 0;
        if (events[index].events & EPOLLIN) value |= 1;
        if (events[index].events & (EPOLLHUP | EPOLLERR)) value |= 2;
        flags[index] = value;
    }
    return count;
}

int automations_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

void automations_set_nonblocking(int fd) {
    int on = 1;
    ioctl(fd, FIONBIO, &on);
}

int automations_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int automations_decode_status(int status, int *code) {
    if (WIFEXITED(status)) {
        *code = WEXITSTATUS(status);
        return 0;
    }
    if (WIFSIGNALED(status)) {
        *code = WTERMSIG(status);
        return 1;
    }
    return -1;
}

/// The first SIGINT, SIGTERM or SIGHUP that arrived before the runner watched for them (0 for none).
static volatile sig_atomic_t early_stop_signal = 0;

static void record_early_stop_signal(int signal_number) {
    if (early_stop_signal == 0) early_stop_signal = signal_number;
}

void automations_catch_early_stop_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_early_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int automations_early_stop_signal(void) { return early_stop_signal; }
