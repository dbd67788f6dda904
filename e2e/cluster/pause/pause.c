/*
 * The pod sandbox of the one-node cluster: holds the pod's namespaces open until the kubelet ends it.
 * Reaps the zombies of a shared PID namespace and exits on SIGINT or SIGTERM, as the upstream pause does.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void end(int signal) {
  (void) signal;
  _exit(0);
}

static void reap(int signal) {
  (void) signal;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  signal(SIGINT, end);
  signal(SIGTERM, end);
  signal(SIGCHLD, reap);
  for (;;) {
    pause();
  }
}
