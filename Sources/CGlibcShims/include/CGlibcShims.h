// CGlibcShims: Linux interfaces that Swift's `import Glibc` does not expose.
//
// SwiftGlibc's umbrella header (swiftlang/swift stdlib/public/Platform/SwiftGlibc.h.gyb)
// omits epoll, eventfd, timerfd, signalfd and getrandom, and glibc only declares
// accept4(2), recvmmsg(2), sendmmsg(2) (and their struct mmsghdr) and
// pthread_{set,get}name_np(3) under _GNU_SOURCE, which the Glibc module is not built with.
// This target exposes the headers and, for the _GNU_SOURCE-only calls, thin C wrappers
// compiled in shim.c (where _GNU_SOURCE is defined before any include).
#ifndef ROOST_CGLIBCSHIMS_H
#define ROOST_CGLIBCSHIMS_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/random.h>
#include <sys/socket.h>

/// accept4(2) with the given flags (SOCK_NONBLOCK | SOCK_CLOEXEC).
/// Returns the new descriptor, or -1 with errno set.
int roost_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// One message of a recvmmsg(2)/sendmmsg(2) batch: glibc's `struct mmsghdr` (declared only
/// under _GNU_SOURCE) field for field; shim.c checks at compile time that the layouts match.
struct roost_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// recvmmsg(2) without a timeout: receives up to `count` datagrams into `messages`.
/// Returns how many were received, or -1 with errno set.
int roost_recvmmsg(int fd, struct roost_mmsghdr *messages, unsigned int count, int flags);

/// sendmmsg(2): sends up to `count` datagrams from `messages`.
/// Returns how many were sent, or -1 with errno set.
int roost_sendmmsg(int fd, struct roost_mmsghdr *messages, unsigned int count, int flags);

/// Names the calling thread (pthread_setname_np(3)); names longer than 15 bytes are cut,
/// because the kernel's comm field holds 16 bytes including the terminator.
/// Returns 0 or an errno value.
int roost_set_current_thread_name(const char *name);

/// Copies the calling thread's name (pthread_getname_np(3)) into `buffer` of `length`
/// bytes (16 holds any name). Returns 0 or an errno value.
int roost_current_thread_name(char *buffer, size_t length);

#endif
