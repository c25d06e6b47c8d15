// Command supportbot is an AI support desk. (The command line is being
// wired; see the issues.)
package main

func main() {}
