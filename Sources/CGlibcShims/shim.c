// Wrappers for glibc calls declared only under _GNU_SOURCE (see include/CGlibcShims.h).
#define _GNU_SOURCE 1
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include "CGlibcShims.h"

int roost_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

_Static_assert(sizeof(struct roost_mmsghdr) == sizeof(struct mmsghdr),
               "roost_mmsghdr must have struct mmsghdr's size");
_Static_assert(offsetof(struct roost_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len),
               "roost_mmsghdr.msg_len must be where struct mmsghdr's is");

int roost_recvmmsg(int fd, struct roost_mmsghdr *messages, unsigned int count, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, flags, NULL);
}

int roost_sendmmsg(int fd, struct roost_mmsghdr *messages, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)messages, count, flags);
}

int roost_set_current_thread_name(const char *name) {
    // The kernel limit is TASK_COMM_LEN (16) including the terminating NUL.
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return pthread_setname_np(pthread_self(), truncated);
}

int roost_current_thread_name(char *buffer, size_t length) {
    return pthread_getname_np(pthread_self(), buffer, length);
}
