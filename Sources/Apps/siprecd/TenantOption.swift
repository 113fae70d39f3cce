import ArgumentParser

/// `--domain`: ask the running server on behalf of one tenant, to see exactly what that tenant's token
/// sees (its calls, recordings and problems only). Without it the control socket shows the whole box.
struct TenantOption: ParsableArguments {
    @Option(help: "Show only this tenant's calls, recordings and problems (its SIP domain), as its API token sees them.")
    var domain: String?

    func validate() throws {
        if let domain, domain.isEmpty || domain.utf8.count > 253 || domain.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "/" }) {
            throw ValidationError("--domain must be a domain name (at most 253 characters, no spaces or controls)")
        }
    }

    /// `domain=…` for a query string, or nil without `--domain`.
    var queryItem: String? { domain.map { "domain=\(Recordings.percentEncoded($0))" } }

    /// `path` with the tenant's query item appended.
    func path(_ path: String) -> String {
        guard let queryItem else { return path }
        return path + (path.contains("?") ? "&" : "?") + queryItem
    }
}
