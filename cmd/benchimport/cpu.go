package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuClock reads the processor time (user + system) spent so far by the server process and by the
// database cluster: the postmaster, its live children (backends, autovacuum, the writers) and the
// children it has reaped. On a shared machine the wall-clock time of an import also counts the time it
// waited for a processor; its processor time does not, so it shows the work itself.
type cpuClock struct{ server, postmaster int }

// clockTicks is the kernel's USER_HZ, the unit of the times in /proc/<pid>/stat.
const clockTicks = 100

// now returns the processor time spent so far (0 when /proc cannot be read).
func (c cpuClock) now() time.Duration {
	if c.server == 0 || c.postmaster == 0 {
		return 0
	}
	ticks := procTicks(c.server, false) + procTicks(c.postmaster, true)
	entries, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, e := range entries {
		if f := statFields(e); len(f) > 15 && f[1] == strconv.Itoa(c.postmaster) {
			ticks += atoi(f[11]) + atoi(f[12])
		}
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// procTicks is a process's user and system time, with its reaped children's when children is set.
func procTicks(pid int, children bool) int {
	f := statFields("/proc/" + strconv.Itoa(pid) + "/stat")
	if len(f) < 15 {
		return 0
	}
	n := atoi(f[11]) + atoi(f[12])
	if children {
		n += atoi(f[13]) + atoi(f[14])
	}
	return n
}

// statFields are the fields of a /proc/<pid>/stat file after the command name: state, ppid, … (so
// utime is field 11, stime 12, cutime 13, cstime 14).
func statFields(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	return strings.Fields(s)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
