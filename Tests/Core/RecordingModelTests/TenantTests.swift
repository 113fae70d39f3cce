import RecordingModel
import Testing

@Suite("Tenants")
struct TenantTests {
    @Test("An admin (no tenant) reaches every domain; a tenant only its own, whatever the ASCII case")
    func allows() {
        #expect(Tenant.allows(nil, "tenant-b.example"))
        #expect(Tenant.allows("Tenant-A.Example", "tenant-a.example"))
        #expect(!Tenant.allows("tenant-a.example", "tenant-b.example"))
        #expect(!Tenant.allows("tenant-a.example", "tenant-a.example.evil"))
        #expect(!Tenant.allows("tenant-a.example", ""))
    }

    @Test("Only ASCII letters fold: domains are compared as DNS names are, not by Unicode case mapping")
    func asciiOnly() {
        #expect(!Tenant.allows("ÉCOLE.example", "école.example"))
        #expect(Tenant.allows("école.EXAMPLE", "école.example"))
    }
}
