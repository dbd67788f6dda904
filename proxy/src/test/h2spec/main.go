// Command h2spec runs the h2spec HTTP/2 conformance suite against a server, with h2spec's own flags.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/summerwind/h2spec"
	"github.com/summerwind/h2spec/config"
)

func main() {
	host := flag.String("h", "127.0.0.1", "target host")
	port := flag.Int("p", 0, "target port")
	path := flag.String("P", "/", "target path")
	timeout := flag.Int("o", 2, "seconds to wait for each test case")
	maxHeaderLen := flag.Int("max-header-length", 4000, "longest HTTP header to send")
	junit := flag.String("j", "", "where to write a JUnit report")
	strict := flag.Bool("S", false, "also run the strict test cases")
	useTLS := flag.Bool("t", false, "connect over TLS")
	insecure := flag.Bool("k", false, "do not verify the server's certificate")
	verbose := flag.Bool("v", false, "verbose output")
	flag.Parse()

	if *port == 0 {
		fmt.Fprintln(os.Stderr, "h2spec: -p PORT is required")
		os.Exit(2)
	}
	c := &config.Config{
		Host:         *host,
		Port:         *port,
		Path:         *path,
		Timeout:      time.Duration(*timeout) * time.Second,
		MaxHeaderLen: *maxHeaderLen,
		JUnitReport:  *junit,
		Strict:       *strict,
		TLS:          *useTLS,
		Insecure:     *insecure,
		Verbose:      *verbose,
		Sections:     flag.Args(),
	}
	ok, err := h2spec.Run(c)
	if err != nil {
		fmt.Fprintf(os.Stderr, "h2spec: %v\n", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}
