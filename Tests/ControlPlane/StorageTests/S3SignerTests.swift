import Testing
@testable import Storage

@Suite("S3 request signing (SigV4)")
struct S3SignerTests {
    @Test("the GET-object example of the AWS SigV4 documentation gives its published signature")
    func awsExample() {
        let signer = S3Signer(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                              region: "us-east-1")
        let headers = signer.sign(method: "GET", path: "/test.txt", query: [],
                                  headers: [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9")],
                                  payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                  amzDate: "20130524T000000Z")
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("keys and query values are percent-encoded per RFC 3986; the date is SigV4's basic format")
    func encoding() {
        #expect(S3Signer.encode("a b+c/d~e", keepSlash: true) == "a%20b%2Bc/d~e")
        #expect(S3Signer.encode("a/b") == "a%2Fb")
        #expect(S3Bucket.amzDate(1_369_353_600_000) == "20130524T000000Z")
    }
}
