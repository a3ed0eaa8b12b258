/* test_mpi_env.c — the MPI build's start-up settings: OMPI_MCA_pml only when the user chose
 * none, TCP_NODELAY on connected TCP sockets and nothing else, and CSVBATCH_MPI_TUNE=0. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "csvbatch/mpi_env.h"

Test(mpi_env, pml_set_only_when_unset)
{
    unsetenv("CSVBATCH_MPI_TUNE");
    unsetenv("OMPI_MCA_pml");
    cr_assert(csvb_mpi_env_pml());
    cr_assert_str_eq(getenv("OMPI_MCA_pml"), "ob1");
    setenv("OMPI_MCA_pml", "ucx", 1);
    cr_assert_not(csvb_mpi_env_pml());
    cr_assert_str_eq(getenv("OMPI_MCA_pml"), "ucx");
    setenv("OMPI_MCA_pml", "", 1); /* empty: Open MPI's own choice, left alone */
    cr_assert_not(csvb_mpi_env_pml());
    cr_assert_str_eq(getenv("OMPI_MCA_pml"), "");
}

Test(mpi_env, pml_tune_off)
{
    unsetenv("OMPI_MCA_pml");
    setenv("CSVBATCH_MPI_TUNE", "0", 1);
    cr_assert_not(csvb_mpi_env_pml());
    cr_assert_null(getenv("OMPI_MCA_pml"));
    setenv("CSVBATCH_MPI_TUNE", "1", 1); /* anything but 0 tunes */
    cr_assert(csvb_mpi_env_pml());
    cr_assert_str_eq(getenv("OMPI_MCA_pml"), "ob1");
}

/* A connected loopback pair (client, accepted) and the listener, all with Nagle on. */
static void tcp_pair(int *listener, int *client, int *server)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    *listener = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(*listener, 0);
    cr_assert_eq(bind(*listener, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(*listener, 1), 0);
    cr_assert_eq(getsockname(*listener, (struct sockaddr *)&a, &len), 0);
    *client = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_eq(connect(*client, (struct sockaddr *)&a, sizeof a), 0);
    *server = accept(*listener, NULL, NULL);
    cr_assert_geq(*server, 0);
}

static int nodelay(int fd)
{
    int v = -1;
    socklen_t len = sizeof v;
    cr_assert_eq(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
    return v;
}

Test(mpi_env, nodelay_on_connected_tcp_only)
{
    unsetenv("CSVBATCH_MPI_TUNE");
    int l, c, s, u[2];
    tcp_pair(&l, &c, &s);
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, u), 0);
    cr_assert_eq(nodelay(c), 0);
    cr_assert_eq(nodelay(s), 0);
    int before = csvb_mpi_env_nodelay(); /* counts every connected TCP socket, ours among them */
    cr_assert_geq(before, 2);
    cr_assert_neq(nodelay(c), 0);
    cr_assert_neq(nodelay(s), 0);
    cr_assert_eq(nodelay(l), 0, "the listener is not connected: left alone");
    close(c);
    close(s);
    cr_assert_eq(csvb_mpi_env_nodelay(), before - 2, "UNIX sockets and the listener never count");
    close(l);
    close(u[0]);
    close(u[1]);
}

Test(mpi_env, nodelay_tune_off)
{
    int l, c, s;
    tcp_pair(&l, &c, &s);
    setenv("CSVBATCH_MPI_TUNE", "0", 1);
    cr_assert_eq(csvb_mpi_env_nodelay(), 0);
    cr_assert_eq(nodelay(c), 0);
    cr_assert_eq(nodelay(s), 0);
    close(c);
    close(s);
    close(l);
}
