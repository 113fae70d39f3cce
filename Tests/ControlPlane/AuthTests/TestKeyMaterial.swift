/// Keys made once with the openssl CLI (`openssl genpkey`), embedded so the tests need no key generation.
enum TestKeyMaterial {
    static let rsaPrivate = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDXSg+wOYVzca+k
        XuyBc+l55KMgKhS287UQBuFGQ2oQWrEVwAwUya+nbAZMSuWF3zRsWuRfd/xJ4ZAL
        qbMMjnRX0gI2BdCWhBNLQ6N2v8WcOceZyT/uIVvnY0KVFwyOBtitu48fkW98+bcP
        6iFrjw4rXYdPspMkTRHV1aWVvhxs7jMzggVYoCGkRZjqSXcRAnzVuogJs2/tVqpk
        0bMXFgrL9OW/1FBSmxPNb11b6iH/h7B0HyiNzuFETNtu8SL0gHY3CaxuuAjlP5mP
        YkFEW7aq1JfzMM3c90HOKDSFB8Lq2CvjQpNcUADNR7/xcT0GgrG4Vp4aTM16+8zl
        pTbvqzcVAgMBAAECggEAEC3fg58HBu0pGywLumd4yTF5YDjus+3DvS/EgpsdX5uZ
        NFO+9K764D+k3NtCEtn6iWwZPo14rHVi9brBRcp3jC6wU4QDWtRpKMkCrLFudeD9
        EvMbYVd+Hc5er2/7Kw9GUw7F4O71Qcn4dnM3eMBYUGz9IWxU/4TlOBHlbvKfFevQ
        1IIJUmY4ce5I+T2LHs9402cDpq4G2Oy4jAUf8LlzcQPmoTVU5rV45z4QfnvODCG4
        6oQ7HnTtualjGUQcaBlXskpfuC8mu9Vr3k2EWRymGulnmMcrpQ2ah01R0CVjVJAo
        7GZFsJbr4l8TDnIlKFIG7ZwRxx5lx4/9kbPOee8DjwKBgQDwYG5IU79LJYusshte
        9quthsMaUkch/NqsHMbEEA76vPsiT69bPAaOp7jRW5JmXHEd/PxijCe44kCWHg5t
        2NMCFxh6vjNCsTm327gO7UIW8Xik7LzT0MgVQKt6TdcbujOxx1TcNURCe7qFu+7E
        MhWaLlGXHBF50kegjZWzNKFMOwKBgQDlSDUpDMSfN6A1ELF5wnuhC8RxsP6ahdJz
        jp6spGNFiXGgLIyPoArZyD/wMeoDu9d1s1PKT5UuZippwNFdJFGlLSZJ/q7PstmI
        sf17wtMUHej004bZR/1DJpH0VCYNAjfRXBFeHxrTuhcRZYkTlBx2FHRPLAhTC8br
        98uWYwpk7wKBgCYSX+U8vnOcgr7bhtJHp3FYgtZMac/MSKYx+JldIcI85FnO3StK
        Go/FqNQf+NQVmCTzyNWi9TenPiuInyhuyxzto4btURkjEM06E7DpiyovHLiidlXm
        H4qeL4qzgXp2x3FE7P/jv+f3yNcdqPeSJzHAXFPesjXlREr9odQ8Zb+5AoGBAI83
        +IToxdUSoQ8km0eMVT82o4HE5nTNTLUEDFeY462m+gPsb+yzMrPw4wd9lki4yBBs
        cNV5upzeEnY2jFDbA+jid/1WigmRFVLOo6DwBHuXZ1Gu45fL4QZWDGuLOK19ijJL
        iUm6sj45CnnCa8qABPs5MaHWxmhhfeMdyNzqhq6fAoGBAKVB9EVnxdhaoTlICapf
        snjfwU7GXCaAJwFQ+JsJnXwscgt6XVJakNvewUOHs5lgZeQLk9vV4Uz26nhcx6PW
        izBK6fuudhXfH7Awvj+nvbarXzbAjkM8JpOVv0Sppc21sNqTBFWJEN73PpgX/plQ
        bicQhn6EXVs18VqqoEsS3oQ4
        -----END PRIVATE KEY-----
        """
    static let otherRSAPrivate = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDI+NDdpB449N/u
        yZuwwhgp/j2m+9Gc+7aGdfiSZe/NOprjF9nOI1f7cQtQ7ESimy+SD218zFW8zx6X
        Pw1eoBqvkRC5cF6igS5onVAF3ecnkrwBu39qqT05R3XMa7In1b49KtN3wv5ydV1v
        hoPKN4hP3uY/89xZHSTovJq214APJHKTSreKRAL5iVZ3HJFVgFybmmtLrNEoF65h
        wuliXl3WbnYiUWyqUTBPbmTOC6OSJnIScZ0fZDEagjwRi5yIC5ObVi06s0rucV5Z
        v+dI4Aba6TQqUZqtiHwgENexJdlTC7vV9f5Y9OpjVEPDwTdWcB/cfyDk/yizp1sp
        bH+XGXwRAgMBAAECggEAGPdcDyS7wmydQw9VoYxDLzhP1WY0IJHel26hXiJ+u1qb
        8jk8zBB09h4Rf1CSqDaqHrV+7wF9ZzK9xKFHGmm+VvApCTht8TcmGkXssoXiGPbw
        FzEBP7FdkzeO6UG5xJwXgYbH9XlKXdK5tEicJ6tlajKxHOHBDmsB8k231J4J4Rd4
        De7AVv39qWvVyYJzOdoLBlMjPfClLM146n++7PsGV/5Tk7q6aaJcFofzig3b7h+2
        6+qYfqq8mrC0raT/MI8L4GlxLr34pdxiIREf7dsXK4Jjipr5Vya9OApNMxB0L/HD
        xtbXCYkswYQ84lF0F6MtdtKnL32Ja2HLQibZH6+uKQKBgQDyvkhP9xfOm1iPGZ8A
        dKpd6IB6oErHBPQ2X7IohueVG2Nx6gXZJZrUCg+yzjcPlRQyKdn6tO+tK1r4iLPt
        cCiNV0+pPPI5Gmvj56ahMhTCY8GACdPf4ZlIkmOG25Jks58hpYGKDbCZLqKnC1IG
        8Zzqak2pmk0Ju6QwAm4OOiNxrQKBgQDT8oqQRXLmtFS+dKxAq9g3MU/RKQk9E/JQ
        sD5VZA698eAwEQswxfsvGvd2he0Cq+D1wodtjO0QAMibNGUDdJNpJGYOAhatz4Yh
        jjeeAbHQFrMDkeiX39HybKkMLk5BZ2iWFSRq+Y2qoEdx+IWghQvmGPe4F9AK6QHH
        1rLf5yGodQKBgB4VSuzuGHs4cV86s6Pg0YRV3iZUWzATAxkB/xhar7Sg8lAZyqPA
        r1F79boZKGW7+gbFfQg/CD0T1HBcsL/KWJw7p9m3feVpytkxykrL5Bq7Ni3iCeoD
        EXYW/lKmP5xPTndjBYzQaYRybSH6my3VH7dFeV59ivKb2JtCkdUdi2r5AoGACRCf
        kooV3v4pfbfZwi5XYgzu4ABET+Nxgrf3Aon0A3W74/JmqyBcnOgnW19hArM9POWk
        CzBy1zNhYRn9lAdBYsbWwpSeSbLNhtPhVxW1eDPwVh/AdfZxsU+qb0XvvOZiV8Dx
        vM2NnJWcWKiLdpEaMC4zMiF6mWzb0aNCJUdqbh0CgYEAnQituWvjBJ2KOLja5fPz
        PiAuttBPpaMYCBaEcaOvZFuiBvFcffSrMPw2ws+HxxH1JcT0NHHiNmSljPBf1wCd
        5VtNZdETI79n0phIVetBp2elioy0/RYT8eqI66LD7dSFe+0frBgt34m4xf8LC517
        Q0Coy1fglwB2UkbtuunLi6k=
        -----END PRIVATE KEY-----
        """
    static let p256Private = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfBylrunFY1fYjfzD
        LnKZargSt2DcuOr77i9LzWkzVb+hRANCAASEGM5DvaQscwgI8mi/xmwDcfLkRyZF
        dCTLrd+Ve+uE6THJVQel1pnHBWIrJDu3yYByPxZbmhKvAswd8nP8sMiQ
        -----END PRIVATE KEY-----
        """
    static let otherP256Private = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbYUEfCpL8aB9qp7o
        YbQRUIC9V4TBpRsf4gybYyiOBSehRANCAATxVYXZqvd7j1D18vBS0Xs/hRODCGrM
        VvLL7V7sKgKBNF1tmh6Jw1V1rr/ZH0SS0nFAMrBoCe+bXVBuHOYA1+2I
        -----END PRIVATE KEY-----
        """
    static let p384Public = """
        -----BEGIN PUBLIC KEY-----
        MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEemaxi6i2aFRvB5Eyfx968uonO1aFcDLY
        evmAjRhJJDVi9AKfXczD5qI/WVvBCHXsld5cH9fIFybBYOd1dnW6c0IQ1QnUN78P
        CLMvwR+qVJ51fYfYLXQrsaeZiCLQgaGP
        -----END PUBLIC KEY-----
        """
    static let rsa1024Public = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCdMxwETokY57b090trUzhnCMcX
        IOejRF7kj08Q5Xo0Z4NLydannqQN2P1Qsv7ejSQ8gCr5HzdEaE9JR+BQU8xDNVBI
        GoJyWJxMIyrwI9YUo84ndNOuunZN3KAyEQHJ2XZvmv/R3eEMvcEiXHy8eLCOzrW8
        12eIBgTikUPqVhqn4QIDAQAB
        -----END PUBLIC KEY-----
        """
}
