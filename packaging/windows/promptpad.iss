; Promptpad for Windows: Inno Setup 6.5+ script (English and Simplified Chinese).
;
; Build the PyInstaller bundle first (dist\promptpad\, see packaging\promptpad.spec), then:
;   iscc packaging\windows\promptpad.iss
;   iscc /DAppVersion=<version> packaging\windows\promptpad.iss   (CI passes it explicitly)
; Output: dist\promptpad-<version>-windows-x64-setup.exe
;
; The version is never written here: it is app.__version__, which the spec stamps into
; promptpad.exe's version resource (ProductVersion, and the numeric FileVersion), read below.
; Installs per user by default (no admin prompt; {autopf} = %LOCALAPPDATA%\Programs), or for all
; users when chosen in the dialog or with /ALLUSERS. Uninstall from Settings > Apps or the Start
; menu entry; settings (%LOCALAPPDATA%\Promptpad) and keys (Windows Credential Manager) are kept.

#define AppName "Promptpad"
#define AppExe "promptpad.exe"
#define BundleDir AddBackslash(SourcePath) + "..\..\dist\promptpad"

#ifnexist BundleDir + "\" + AppExe
  #error dist\promptpad\promptpad.exe is missing: build the bundle with PyInstaller first
#endif
#ifnexist AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
  #error Inno Setup 6.5 or newer is needed (its Languages folder has ChineseSimplified.isl)
#endif

#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\" + AppExe, "ProductVersion")
#endif
#define AppNumericVersion GetVersionNumbersString(BundleDir + "\" + AppExe)

[Setup]
; AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{568D8B40-AC67-4FB7-B781-02B363FB1043}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductTextVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 (1809) or later.
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=promptpad-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\promptpad.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=auto
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[CustomMessages]
english.AppComment=Playground for OpenAI-compatible completion APIs
chinesesimplified.AppComment=OpenAI 兼容补全 API 的试验台

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle's library folder whole, so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
