// Spawning on Linux: clone(CLONE_VM|CLONE_VFORK) on a stack kept per thread, as glibc's posix_spawn does but
// without its per-spawn stack mapping and descriptor-limit checks.
#ifdef __linux__
#define _GNU_SOURCE
#include "CAutomationsSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_once_t spawn_setup_once = PTHREAD_ONCE_INIT;
static int null_read_fd = -1;
static int null_write_fd = -1;
static char own_directory[4096];

static long highest_descriptor = 1023;

static void spawn_setup(void) {
    long limit = sysconf(_SC_OPEN_MAX);
    if (limit > 0) highest_descriptor = limit - 1;
    null_read_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    null_write_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (getcwd(own_directory, sizeof own_directory) == NULL) own_directory[0] = 0;
}

/// What the child of `spawn_in_new_session` needs, and the error it reports when it cannot exec.
struct spawn_request {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *cwd; // NULL: stay here
    int descriptors[3];
    int error; // written by the child (same memory) when a step fails; 0 after a successful exec
};

/// Closes every open descriptor from 3 on without close_range (Linux before 5.9): the ones /proc/self/fd lists, read
/// with getdents64 into a buffer on this stack (no allocation: this runs in the spawn child). A descriptor limit of
/// 1,048,576 (common in containers) made a close of every possible number cost 200 ms a spawn. Without /proc, every
/// number up to the limit is closed after all.
static void close_open_descriptors_from_3(void) {
    int directory = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) {
        for (long descriptor = 3; descriptor <= highest_descriptor; descriptor++) syscall(SYS_close, descriptor);
        return;
    }
    char buffer[1024];
    int closed_any = 1;
    while (closed_any) { // closing while listing may skip entries: list again until a pass closes nothing
        closed_any = 0;
        syscall(SYS_lseek, directory, 0, SEEK_SET);
        long count;
        while ((count = syscall(SYS_getdents64, directory, buffer, sizeof buffer)) > 0) {
            for (long offset = 0; offset < count;) {
                struct linux_dirent64_head {
                    uint64_t inode;
                    int64_t next;
                    unsigned short length;
                    unsigned char type;
                    char name[];
                } *entry = (void *)(buffer + offset);
                offset += entry->length;
                int descriptor = 0, digits = 0;
                for (const char *c = entry->name; *c >= '0' && *c <= '9'; c++, digits++) descriptor = descriptor * 10 + (*c - '0');
                if (digits == 0 || entry->name[digits] != 0 || descriptor < 3 || descriptor == directory) continue;
                syscall(SYS_close, descriptor);
                closed_any = 1;
            }
        }
    }
    syscall(SYS_close, directory);
}

/// The child, on the spawning thread's spawn stack, sharing the parent's memory until it execs (the parent thread is
/// suspended meanwhile: CLONE_VFORK). It makes only system calls: no lock, no allocation.
static int spawn_child(void *argument) {
    struct spawn_request *request = argument;
    // Every signal at its default before any is unblocked: a handler of the runner must never run here. (execve
    // resets handled signals anyway; this also resets ignored ones.) 32 and 33 are glibc's own.
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        uint64_t mask;
    } default_action = {SIG_DFL, 0, NULL, 0};
    for (int signal_number = 1; signal_number < 65; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP || signal_number == 32 || signal_number == 33) continue;
        syscall(SYS_rt_sigaction, signal_number, &default_action, NULL, sizeof default_action.mask);
    }
    int failed = 0;
    if (syscall(SYS_setsid) < 0) failed = 1;
    for (int target = 0; target < 3 && !failed; target++) {
        int source = request->descriptors[target];
        // dup2 onto itself keeps close-on-exec: clear it instead.
        if (source == target ? syscall(SYS_fcntl, target, F_SETFD, 0) < 0 : syscall(SYS_dup2, source, target) < 0)
            failed = 1;
    }
    if (!failed && request->cwd != NULL && syscall(SYS_chdir, request->cwd) < 0) failed = 1;
    if (!failed && syscall(SYS_close_range, 3, ~0U, 0) < 0) {
        if (errno != ENOSYS) {
            failed = 1;
        } else { // before Linux 5.9
            close_open_descriptors_from_3();
        }
    }
    if (!failed) {
        uint64_t no_signals = 0;
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &no_signals, NULL, sizeof no_signals);
        syscall(SYS_execve, request->path, request->argv, request->envp);
    }
    request->error = errno != 0 ? errno : ECHILD;
    syscall(SYS_exit, 127);
    return 127;
}

/// The spawn stack of this thread: made once (the runner's threads live as long as it does), unmapped when the
/// thread ends. glibc's posix_spawn maps and unmaps a fresh stack, and checks the descriptor limit for every file
/// action, each time: about a tenth of the spawning thread's time in a chain of short commands.
enum { spawn_stack_size = 64 * 1024 };
static pthread_key_t spawn_stack_key;
static pthread_once_t spawn_stack_key_once = PTHREAD_ONCE_INIT;
static __thread char *spawn_stack;

static void release_spawn_stack(void *stack) { munmap(stack, spawn_stack_size); }
static void make_spawn_stack_key(void) { pthread_key_create(&spawn_stack_key, release_spawn_stack); }

static char *this_threads_spawn_stack(void) {
    if (spawn_stack != NULL) return spawn_stack;
    pthread_once(&spawn_stack_key_once, make_spawn_stack_key);
    void *stack = mmap(NULL, spawn_stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return NULL;
    spawn_stack = stack;
    pthread_setspecific(spawn_stack_key, stack);
    return spawn_stack;
}

/// Spawns in a new session, every signal at its default and none blocked, descriptors 0-2 from the given ones (-1:
/// /dev/null, opened once and duplicated), nothing else inherited, in `cwd` (NULL: here). What glibc's posix_spawn
/// does with POSIX_SPAWN_SETSID, SETSIGDEF (all), SETSIGMASK (none), three dup2, chdir and closefrom(3), the same
/// way (clone with CLONE_VM|CLONE_VFORK, every signal blocked in the parent meanwhile), on a stack kept per thread.
static int spawn_in_new_session(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                                const char *cwd, int stdin_fd, int stdout_fd, int stderr_fd) {
    pthread_once(&spawn_setup_once, spawn_setup);
    if (null_read_fd < 0 || null_write_fd < 0) return EBADF;
    char *stack = this_threads_spawn_stack();
    if (stack == NULL) return ENOMEM;
    // The runner never changes its own directory: a command that runs there needs no chdir.
    int same_directory = cwd != NULL && own_directory[0] != 0 && strcmp(cwd, own_directory) == 0;
    struct spawn_request request = {
        .path = path,
        .argv = argv,
        .envp = envp,
        .cwd = same_directory ? NULL : cwd,
        .descriptors = {stdin_fd < 0 ? null_read_fd : stdin_fd, stdout_fd < 0 ? null_write_fd : stdout_fd,
                        stderr_fd < 0 ? null_write_fd : stderr_fd},
        .error = 0,
    };
    sigset_t all_signals, previous;
    sigfillset(&all_signals);
    pthread_sigmask(SIG_SETMASK, &all_signals, &previous);
    int saved_errno = errno;
    pid_t child = clone(spawn_child, stack + spawn_stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &request);
    int clone_error = child < 0 ? errno : 0;
    errno = saved_errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (child < 0) return clone_error;
    if (request.error != 0) {
        // It never ran the command: reap it here, as posix_spawn does.
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
        return request.error;
    }
    *pid = child;
    return 0;
}

int automations_linux_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *cwd,
                            int stdin_fd, int stdout_fd, int stderr_fd) {
    return spawn_in_new_session(pid, path, argv, envp, cwd, stdin_fd, stdout_fd, stderr_fd);
}
#endif
