// etcd's server, built from its published module at the version go.mod pins (the one Kubernetes tests with).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
