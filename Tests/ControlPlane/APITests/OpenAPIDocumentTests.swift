import JSON
import Testing
@testable import API

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("every route the server answers is in the OpenAPI document, and nothing else is")
    func routesDocumented() throws {
        let document = try JSONValue.parse(OpenAPIDocument.json)
        guard case .object(let paths)? = document["paths"] else {
            Issue.record("no paths in the document")
            return
        }
        var documented: Set<String> = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for (method, _) in operations { documented.insert("\(method) \(path)") }
        }
        let served = Set(APIRouter.routes.map { "\($0.method) \($0.path)" })
        #expect(served == documented)
    }

    @Test("the compiled document is the one in docs/openapi.json")
    func sameAsRepositoryCopy() throws {
        let path = String(#filePath.split(separator: "/").dropLast(4).joined(separator: "/"))   // Tests/ControlPlane/APITests/this file
        let copy = try #require(readFile("/\(path)/docs/openapi.json"))
        #expect(try JSONValue.parse(copy) == JSONValue.parse(OpenAPIDocument.json), "run `make openapi` after editing docs/openapi.json")
    }
}

#if canImport(Glibc)
import Glibc
#endif

func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        bytes.append(contentsOf: chunk[0..<n])
        if n < chunk.count { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}
