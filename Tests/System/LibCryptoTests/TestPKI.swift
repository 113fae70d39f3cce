#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// A test PKI (EC P-256), valid until 2125 but for `expired` (2020): a CA, siprecd's certificate (srs.test,
/// 127.0.0.1), an SRC's (sbc1.example.com, 127.0.0.1), an expired one and one from an untrusted CA.
/// Test data only: these keys protect nothing. Made with `openssl ca` (see Tests/integration/tlscerts.py).
enum TestPKI {
    static let caCertificate = """
-----BEGIN CERTIFICATE-----
MIIBhTCCASqgAwIBAgIUak0KHDo0g8FHi4VNUNWBbCqFpKIwCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUc2lwcmVjZCB1bml0LXRlc3QgQ0EwIBcNMjYxMjA3MTQ1NDM5
WhgPMjEyNjExMTMxNDU0MzlaMB8xHTAbBgNVBAMMFHNpcHJlY2QgdW5pdC10ZXN0
IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZOLw3CCnD77276bbJLe/9a2U
6rwbAGTpk1yaXwqpPbSSlHB4cXOalKgF+nHsxbDn1nqRGlj4KQFKGOMbEWqsGaNC
MEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFJGO
kiKTZzsTCLy1pk5v3z/oIsL7MAoGCCqGSM49BAMCA0kAMEYCIQCaYF7K1i2xg+QZ
dqIIvIctmG++lwf0Ig2x1bGSLaI7PQIhAJK/y5FfYucDqyyUUCCKdJ+uTOk3tRgl
4ZJPW9cNRrJA
-----END CERTIFICATE-----
"""

    static let serverCertificate = """
-----BEGIN CERTIFICATE-----
MIIBvDCCAWKgAwIBAgIIC+4JKnVSxl8wCgYIKoZIzj0EAwIwHzEdMBsGA1UEAwwU
c2lwcmVjZCB1bml0LXRlc3QgQ0EwIBcNMjYwMTAxMDAwMDAwWhgPMjEyNTAxMDEw
MDAwMDBaMBMxETAPBgNVBAMMCHNycy50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEpxM9Y9ywfT5qvioAoKIEKvzcO085Xe5Q2nYbzEua9UGCi0hUEF1cdyOP
O3aJTwNkCeQDJTJHHZOfFJqnBNI0uqOBkTCBjjAMBgNVHRMBAf8EAjAAMA4GA1Ud
DwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQUcw/Zbo/F
O3QqAvh0ImyLY1zRghkwHwYDVR0jBBgwFoAUkY6SIpNnOxMIvLWmTm/fP+giwvsw
GQYDVR0RBBIwEIIIc3JzLnRlc3SHBH8AAAEwCgYIKoZIzj0EAwIDSAAwRQIgcR+8
NAPz628nE8zTY6X48+6ylSSAb7BgeuYNG3YlU/ACIQCVIs/L7s4zEW+n3adypPU9
CElXB6+Yz7nP4QPQ5WBDhA==
-----END CERTIFICATE-----
"""

    static let serverKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg57BM5eMiTC5PZkbB
QS3/15tPd7M5Jr7cxXGmIwjVCjuhRANCAASnEz1j3LB9Pmq+KgCgogQq/Nw7Tzld
7lDadhvMS5r1QYKLSFQQXVx3I487dolPA2QJ5AMlMkcdk58UmqcE0jS6
-----END PRIVATE KEY-----
"""

    static let clientCertificate = """
-----BEGIN CERTIFICATE-----
MIIBzDCCAXKgAwIBAgIIC+4JKnVSxmAwCgYIKoZIzj0EAwIwHzEdMBsGA1UEAwwU
c2lwcmVjZCB1bml0LXRlc3QgQ0EwIBcNMjYwMTAxMDAwMDAwWhgPMjEyNTAxMDEw
MDAwMDBaMBsxGTAXBgNVBAMMEHNiYzEuZXhhbXBsZS5jb20wWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAQ59KuBoXe9Zp0wsBkVjtfJvxZVAR6ig8WVO5Z23qeukOKB
Mc5cKbtrftDXusw6PtT/q42U7mCrR6YnUUZtbztco4GZMIGWMAwGA1UdEwEB/wQC
MAAwDgYDVR0PAQH/BAQDAgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMCMB0GA1UdDgQW
BBQc/LSyuc3yBAHWY+64qfQp6BYvbDAfBgNVHSMEGDAWgBSRjpIik2c7Ewi8taZO
b98/6CLC+zAhBgNVHREEGjAYghBzYmMxLmV4YW1wbGUuY29thwR/AAABMAoGCCqG
SM49BAMCA0gAMEUCIQCEeDzBlLCN3oA6C2LPRJAVXPIc8uilCJaRBsrkhj3uWQIg
Duz1mZfnbymn4ZumCgCBpr0Rr+y31vCCbg5hw4ARRRU=
-----END CERTIFICATE-----
"""

    static let clientKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRnjBnanzKC+jNK5B
XHQESRp/zXDeMyfF0OH+scC/w/+hRANCAAQ59KuBoXe9Zp0wsBkVjtfJvxZVAR6i
g8WVO5Z23qeukOKBMc5cKbtrftDXusw6PtT/q42U7mCrR6YnUUZtbztc
-----END PRIVATE KEY-----
"""

    static let expiredCertificate = """
-----BEGIN CERTIFICATE-----
MIIBxDCCAWqgAwIBAgIIC+4JKnVSxmEwCgYIKoZIzj0EAwIwHzEdMBsGA1UEAwwU
c2lwcmVjZCB1bml0LXRlc3QgQ0EwHhcNMjAwMTAxMDAwMDAwWhcNMjEwMTAxMDAw
MDAwWjAbMRkwFwYDVQQDDBBzYmMxLmV4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEvhhxhExGEQrVVozJ8yAhoMzQFesS4wUqxYMRE5nbd57b0eA/
AxX3twpbhuicsGsSkmm+aI2gYW+/OGeIlJm5B6OBkzCBkDAMBgNVHRMBAf8EAjAA
MA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDAjAdBgNVHQ4EFgQU
JB0NTWS/rUA3uf09SiJpk70+LFwwHwYDVR0jBBgwFoAUkY6SIpNnOxMIvLWmTm/f
P+giwvswGwYDVR0RBBQwEoIQc2JjMS5leGFtcGxlLmNvbTAKBggqhkjOPQQDAgNI
ADBFAiBiIfW0Ez3yz71EpI8KowArN5z00FD4dRPjmzEO+IU5KAIhANu3U3fwAQsX
Wp1034BRW/Q2YHPrqUuPEZk78enLOULa
-----END CERTIFICATE-----
"""

    static let expiredKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgsAj1yetL5jshpcCl
bEWT+/fuUvtwADIxdffjbePxQO2hRANCAAS+GHGETEYRCtVWjMnzICGgzNAV6xLj
BSrFgxETmdt3ntvR4D8DFfe3CluG6JywaxKSab5ojaBhb784Z4iUmbkH
-----END PRIVATE KEY-----
"""

    static let rogueCertificate = """
-----BEGIN CERTIFICATE-----
MIIByDCCAW6gAwIBAgIIDEdHG7ec1XowCgYIKoZIzj0EAwIwITEfMB0GA1UEAwwW
dW50cnVzdGVkIHVuaXQtdGVzdCBDQTAgFw0yNjAxMDEwMDAwMDBaGA8yMTI1MDEw
MTAwMDAwMFowGzEZMBcGA1UEAwwQc2JjMS5leGFtcGxlLmNvbTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABG0b4muYRN+yXDvdQG4gk+US69cWSGVZfz8SQFvs97Ef
mr7OtGG2br2T7odAGfT5Go5yvcOgQ3RDrt1LUupMP7OjgZMwgZAwDAYDVR0TAQH/
BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0O
BBYEFFbzbTY5P1i90YoyOXH9ZNs1y7QKMB8GA1UdIwQYMBaAFDCPV0fnnSv6oXUA
m47WVqBfOciaMBsGA1UdEQQUMBKCEHNiYzEuZXhhbXBsZS5jb20wCgYIKoZIzj0E
AwIDSAAwRQIgFfCV3IRGcexfgaJZ0ZHEH3W99TkBofzp85oMjFm9IykCIQCCb8eo
0+fgIe0f00Mklm26QXEq/tz7SfPGSdK5ml/I3Q==
-----END CERTIFICATE-----
"""

    static let rogueKey = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQge86xkW4cu2IDpr3z
mWm4JVd3s7myhMEPFRFyZCKI4BihRANCAARtG+JrmETfslw73UBuIJPlEuvXFkhl
WX8/EkBb7PexH5q+zrRhtm69k+6HQBn0+RqOcr3DoEN0Q67dS1LqTD+z
-----END PRIVATE KEY-----
"""

    /// The files written to a fresh directory under /tmp: `path("server.pem")`.
    final class Files {
        private let temporary = TemporaryDirectory("siprecd-tls")
        var directory: String { temporary.path }

        init() {
            for (name, text) in [("ca.pem", caCertificate), ("server.pem", serverCertificate), ("server.key", serverKey),
                                 ("client.pem", clientCertificate), ("client.key", clientKey), ("expired.pem", expiredCertificate),
                                 ("expired.key", expiredKey), ("rogue.pem", rogueCertificate), ("rogue.key", rogueKey),
                                 ("empty.pem", "not a certificate\n")] {
                write(name, text + "\n")
            }
        }

        func path(_ name: String) -> String { "\(directory)/\(name)" }

        func write(_ name: String, _ text: String) {
            let descriptor = open(path(name), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            precondition(descriptor >= 0, "cannot write \(name)")
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }

        deinit {
            temporary.remove()
        }
    }
}
