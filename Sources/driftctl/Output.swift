#if canImport(Glibc)
import Glibc
#endif

/// Writing to stdout/stderr and leaving with driftctl's exit codes (0 no drift, 1 drift, 2 error).
enum Output {
    /// Prints `driftctl: message` on stderr and exits with status 2.
    static func fail(_ message: String) -> Never {
        warn(message)
        exit(2)
    }

    /// Prints `driftctl: message` on stderr.
    static func warn(_ message: String) {
        write(2, "driftctl: \(message)\n")
    }

    /// Writes `text` to stdout (all of it; exits 2 when stdout is gone).
    static func emit(_ text: String) {
        write(1, text)
    }

    private static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { exit(2) }
                offset += n
            }
        }
    }
}
